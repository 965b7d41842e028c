import { DymError } from './errors'
import type { MethodSpec } from './define'
import { methods, type MethodName, type ParsedRequestOf } from './index'
import { measureBytes } from '../wire'

/**
 * The gate every request passes on its way into the core, whichever transport carried it:
 * a known method, a payload within the method's size cap, and a payload the schema accepts.
 */
export function validateRequest(name: unknown, payload: unknown): { method: MethodName; request: ParsedRequestOf<MethodName> } {
  const valid = validateRequestIn(methods, name, payload)
  return { method: valid.method as MethodName, request: valid.request as ParsedRequestOf<MethodName> }
}

/** The same gate over any registry (tests use their own). */
export function validateRequestIn(
  registry: Record<string, MethodSpec>,
  name: unknown,
  payload: unknown
): { method: string; request: unknown } {
  if (typeof name !== 'string' || !Object.hasOwn(registry, name)) {
    const shown = typeof name === 'string' ? name.slice(0, 80) : `(${typeof name})`
    throw new DymError('unknown-method', `Unknown method: ${shown}`)
  }
  const spec = registry[name] as MethodSpec
  const size = measureBytes(payload, spec.maxBytes)
  if (size > spec.maxBytes) {
    throw new DymError('too-large', `${name}: request is larger than ${spec.maxBytes} bytes`)
  }
  const parsed = spec.request.safeParse(payload)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'request'
    throw new DymError('bad-request', `${name}: ${where}: ${issue?.message ?? 'invalid'}`)
  }
  return { method: name, request: parsed.data }
}
