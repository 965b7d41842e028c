import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DymError } from '../../../src/shared/contract/errors'
import { method } from '../../../src/shared/contract/define'
import { validateRequest, validateRequestIn } from '../../../src/shared/contract/validate'
import { decodeWire, encodeWire, encodeWireFrame, measureBytes, splitWireFrame, WireFormatError } from '../../../src/shared/wire'

// A registry shaped like the real ones: named fields, a bounded string, a size cap.
const registry = {
  'room.join': method(z.object({ invite: z.string().max(2000), muted: z.boolean() }).strict(), z.object({ ok: z.boolean() }), {
    maxBytes: 4096
  })
}

function rejection(fn: () => unknown): DymError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DymError) return err
    throw err
  }
  throw new Error('expected a DymError')
}

describe('validateRequestIn', () => {
  it('accepts a well-formed request', () => {
    expect(validateRequestIn(registry, 'room.join', { invite: 'dym://join/x', muted: false }).request).toEqual({
      invite: 'dym://join/x',
      muted: false
    })
  })

  it('rejects a wrong type with the field named', () => {
    const err = rejection(() => validateRequestIn(registry, 'room.join', { invite: 42, muted: false }))
    expect(err.code).toBe('bad-request')
    expect(err.message).toMatch(/room\.join: invite: .*string/i)
  })

  it('rejects a missing field with the field named', () => {
    const err = rejection(() => validateRequestIn(registry, 'room.join', { invite: 'x' }))
    expect(err.code).toBe('bad-request')
    expect(err.message).toContain('muted')
  })

  it('rejects unknown extra fields', () => {
    expect(rejection(() => validateRequestIn(registry, 'room.join', { invite: 'x', muted: true, admin: true })).code).toBe('bad-request')
  })

  it('rejects an oversize payload before parsing it', () => {
    const err = rejection(() => validateRequestIn(registry, 'room.join', { invite: 'x'.repeat(10_000), muted: true }))
    expect(err.code).toBe('too-large')
    expect(err.message).toContain('4096')
  })

  it('rejects an unknown method', () => {
    expect(rejection(() => validateRequestIn(registry, 'room.nuke', {})).code).toBe('unknown-method')
    expect(rejection(() => validateRequestIn(registry, { toString: null }, {})).code).toBe('unknown-method')
    expect(rejection(() => validateRequestIn(registry, '__proto__', {})).code).toBe('unknown-method')
  })

  it('the real contract refuses junk for app.info', () => {
    expect(validateRequest('app.info', {}).method).toBe('app.info')
    expect(rejection(() => validateRequest('app.info', 'hello')).code).toBe('bad-request')
    expect(rejection(() => validateRequest('app.info', { extra: 1 })).code).toBe('bad-request')
  })

  it('signals: a restart request names at most a bounded ICE username; other shapes are refused', () => {
    const to = '12D3KooWRcv7GFtddUuCH2aXCuLtKg7DNdbFWt8DRcHefCd5Zs5T'
    const send = (signal: unknown) => validateRequest('signal.send', { roomId: 'a'.repeat(64), to, signal })
    expect(send({ kind: 'restart', ufrag: 'Ab1c' }).method).toBe('signal.send')
    expect(send({ kind: 'restart', ufrag: null }).method).toBe('signal.send')
    expect(rejection(() => send({ kind: 'restart', ufrag: 'x'.repeat(300) })).code).toBe('bad-request')
    expect(rejection(() => send({ kind: 'reboot' })).code).toBe('bad-request')
  })
})

describe('wire encoding', () => {
  it('round-trips binary inside JSON', () => {
    const value = { chunk: new Uint8Array([0, 1, 2, 255]), nested: [{ b: new Uint8Array(0) }], text: 'hé' }
    expect(decodeWire(encodeWire(value))).toEqual(value)
  })

  it('sends a value with bytes as one binary frame whose bytes are views, not copies; without bytes, as text', () => {
    const value = {
      type: 'request',
      id: 7,
      method: 'x',
      payload: { seq: 1, bytes: new Uint8Array([9, 8, 7]), more: [new Uint8Array([1])], name: 'hé' }
    }
    const frame = encodeWireFrame(value)
    if (typeof frame === 'string') throw new Error('expected a binary frame')
    const { text, bytes } = splitWireFrame(frame)
    expect(text).not.toContain('$bytes')
    expect(bytes).toEqual(new Uint8Array([9, 8, 7, 1]))
    const decoded = decodeWire(text, undefined, bytes) as typeof value
    expect(decoded).toEqual(value)
    expect(decoded.payload.bytes.buffer).toBe(frame.buffer)
    expect(encodeWireFrame({ id: 1, payload: { a: 'b' } })).toBe('{"id":1,"payload":{"a":"b"}}')
  })

  it('refuses a binary frame that is not one: short, a length past its end, text that is not UTF-8, a $bin past its bytes', () => {
    const header = (n: number) => new Uint8Array(new Uint32Array([n]).buffer)
    const withText = (json: Uint8Array, tail: number[] = []) => new Uint8Array([...header(json.byteLength), ...json, ...tail])
    expect(() => splitWireFrame(new Uint8Array([1, 0]))).toThrow(WireFormatError)
    expect(() => splitWireFrame(new Uint8Array([...header(100), 1, 2, 3]))).toThrow(/4-byte length/)
    expect(() => splitWireFrame(withText(new Uint8Array([0x7b, 0xff, 0x7d])))).toThrow(/not UTF-8/)
    const past = splitWireFrame(withText(new TextEncoder().encode('{"b":{"$bin":[1,3]}}'), [1, 2, 3]))
    expect(() => decodeWire(past.text, undefined, past.bytes)).toThrow(/points past the 3 bytes/)
    const negative = splitWireFrame(withText(new TextEncoder().encode('{"b":{"$bin":[-1,1]}}'), [1]))
    expect(() => decodeWire(negative.text, undefined, negative.bytes)).toThrow(WireFormatError)
    // In a text frame a $bin is just an object: the contract's schemas refuse it there.
    expect(decodeWire('{"b":{"$bin":[0,1]}}')).toEqual({ b: { $bin: [0, 1] } })
  })

  it('measures with an early stop and refuses cycles', () => {
    expect(measureBytes({ a: 'x'.repeat(100) }, 1000)).toBeGreaterThan(100)
    expect(measureBytes(new Uint8Array(5000), 1000)).toBeGreaterThan(1000)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(measureBytes(cyclic, 1000)).toBe(Number.POSITIVE_INFINITY)
  })
})
