import { z } from 'zod'

/**
 * A request/response pair of the contract. `maxBytes` caps the encoded request before it is
 * parsed; most requests are tiny, a few (recording chunks) are large and say so.
 */
export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req
  readonly response: Res
  readonly maxBytes: number
}

export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024

export function method<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  options: { maxBytes?: number } = {}
): MethodSpec<Req, Res> {
  return { request, response, maxBytes: options.maxBytes ?? DEFAULT_MAX_REQUEST_BYTES }
}

/** An empty request: `{}` and nothing else. */
export const NoParams = z.object({}).strict()
export const Ok = z.object({ ok: z.literal(true) })

/** Bounded strings, so no field can carry megabytes. */
export const shortText = (max = 200) => z.string().max(max)
