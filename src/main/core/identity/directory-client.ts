import { z } from 'zod'
import { fromBase64 } from './keys'

/**
 * The public 3Bot directory: GET {directoryUrl}/api/users/<name>.3bot answers
 * {"doublename": "alice.3bot", "publicKey": "<base64 Ed25519 key>"}, or 404 "User not found".
 * Everything it says is untrusted: bounded in time and size, checked against a schema.
 */
export const DIRECTORY_TIMEOUT_MS = 5000
export const DIRECTORY_MAX_BYTES = 16 * 1024

const DirectoryUser = z.object({ doublename: z.string().max(60), publicKey: z.string().max(200) })

export type DirectoryFailure = 'unknown-user' | 'directory-unreachable' | 'directory-invalid'
export type DirectoryAnswer = { ok: true; publicKey: Uint8Array } | { ok: false; reason: DirectoryFailure; message: string }

export interface DirectoryClientOptions {
  /** Read on every request, so a settings change applies at once. */
  baseUrl: () => string
  timeoutMs?: number
  maxBytes?: number
  fetch?: typeof fetch
}

export interface DirectoryClient {
  fetchUserKey(name: string): Promise<DirectoryAnswer>
}

export function createDirectoryClient(options: DirectoryClientOptions): DirectoryClient {
  const timeoutMs = options.timeoutMs ?? DIRECTORY_TIMEOUT_MS
  const maxBytes = options.maxBytes ?? DIRECTORY_MAX_BYTES
  const doFetch = options.fetch ?? fetch

  return {
    async fetchUserKey(name) {
      const base = options.baseUrl()
      const url = `${base}/api/users/${encodeURIComponent(name)}`
      const fail = (reason: DirectoryFailure, why: string): DirectoryAnswer => ({ ok: false, reason, message: why })
      const signal = AbortSignal.timeout(timeoutMs)
      let response: Response
      try {
        response = await doFetch(url, { signal, redirect: 'manual', headers: { accept: 'application/json' } })
      } catch (err) {
        const timedOut = signal.aborted
        return fail(
          'directory-unreachable',
          timedOut
            ? `The ThreeFold directory (${base}) did not answer within ${timeoutMs / 1000} s.`
            : `Could not reach the ThreeFold directory (${base}): ${causeOf(err)}.`
        )
      }
      if (response.status === 404) {
        await response.body?.cancel().catch(() => undefined)
        return fail('unknown-user', `${name} is not in the ThreeFold directory.`)
      }
      if (response.status >= 500) {
        await response.body?.cancel().catch(() => undefined)
        return fail('directory-unreachable', `The ThreeFold directory (${base}) is not working (HTTP ${response.status}).`)
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined)
        return fail('directory-invalid', `The ThreeFold directory answered HTTP ${response.status} for ${name}.`)
      }
      const body = await readCapped(response, maxBytes, signal)
      if (body.kind === 'too-large')
        return fail('directory-invalid', `The ThreeFold directory sent more than ${maxBytes} bytes for ${name}.`)
      if (body.kind === 'failed') {
        return fail(
          'directory-unreachable',
          signal.aborted
            ? `The ThreeFold directory (${base}) did not answer within ${timeoutMs / 1000} s.`
            : `The ThreeFold directory's answer broke off: ${body.why}.`
        )
      }
      let json: unknown
      try {
        json = JSON.parse(body.text)
      } catch {
        return fail('directory-invalid', `The ThreeFold directory's answer for ${name} is not JSON.`)
      }
      const user = DirectoryUser.safeParse(json)
      if (!user.success) return fail('directory-invalid', `The ThreeFold directory's answer for ${name} lacks doublename or publicKey.`)
      if (user.data.doublename.toLowerCase() !== name)
        return fail(
          'directory-invalid',
          `The ThreeFold directory answered for ${user.data.doublename.slice(0, 60)} when asked for ${name}.`
        )
      const key = fromBase64(user.data.publicKey)
      if (!key) return fail('directory-invalid', `The ThreeFold directory's key for ${name} is not base64.`)
      if (key.length !== 32)
        return fail('directory-invalid', `The ThreeFold directory's key for ${name} is ${key.length} bytes, not the 32 of an Ed25519 key.`)
      return { ok: true, publicKey: key }
    }
  }
}

type Body = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'failed'; why: string }

/** Read at most `maxBytes` of a body; stop (and drop the connection) as soon as it is more. */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<Body> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    return { kind: 'too-large' }
  }
  if (!response.body) return { kind: 'ok', text: '' }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      if (signal.aborted) throw new Error('timed out')
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        return { kind: 'too-large' }
      }
      chunks.push(value)
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined)
    return { kind: 'failed', why: causeOf(err) }
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  try {
    return { kind: 'ok', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { kind: 'ok', text: '\u0000not utf-8' }
  }
}

function causeOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause
    if (cause instanceof Error) return cause.message.slice(0, 200)
    return err.message.slice(0, 200)
  }
  return String(err).slice(0, 200)
}
