import { describe, expect, it } from 'vitest'
import { ActiveSpeaker } from '../../../src/renderer/features/call/active-speaker'
import { cameraCap, screenCap } from '../../../src/renderer/features/call/bitrate'
import { parseControlMessage } from '../../../src/renderer/features/call/control-channel'
import { isPolite, sdpIceUfrags, sdpSessionId } from '../../../src/renderer/features/call/sdp'

const SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=ice-ufrag:abcd',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=ice-ufrag:abcd',
  ''
].join('\r\n')

describe('sdp facts', () => {
  it('reads the session id and the ICE ufrags', () => {
    expect(sdpSessionId(SDP)).toBe('4611731400430051336')
    expect([...sdpIceUfrags(SDP)]).toEqual(['abcd'])
    expect(sdpSessionId('v=0\r\n')).toBeNull()
  })

  it('politeness: exactly one side of every pair is polite', () => {
    const ids = ['12D3KooWA', '12D3KooWB', 'QmZ', 'peer-a']
    for (const a of ids) for (const b of ids) if (a !== b) expect(isPolite(a, b)).toBe(!isPolite(b, a))
  })
})

describe('bitrate caps', () => {
  it('shrink as the room grows, never below a floor, for every quality', () => {
    for (const q of ['low', 'medium', 'high'] as const) {
      let previous = Infinity
      for (let n = 1; n <= 12; n++) {
        const cap = cameraCap(q, n)
        expect(cap.maxBitrate).toBeLessThanOrEqual(previous)
        expect(cap.maxBitrate).toBeGreaterThanOrEqual(120_000)
        previous = cap.maxBitrate
      }
      expect(cameraCap(q, 2).maxBitrate).toBeLessThan(cameraCap(q, 1).maxBitrate)
    }
    expect(cameraCap('high', 1).maxBitrate).toBeGreaterThan(cameraCap('low', 1).maxBitrate)
    expect(cameraCap('medium', 6).scaleResolutionDownBy).toBeGreaterThan(1)
  })

  it('screens keep full resolution at a lower frame rate', () => {
    const cap = screenCap('medium', 3)
    expect(cap.scaleResolutionDownBy).toBe(1)
    expect(cap.maxFramerate).toBeLessThan(cameraCap('medium', 3).maxFramerate)
  })
})

describe('control channel messages from a peer', () => {
  it('accepts the known messages and drops everything else', () => {
    expect(parseControlMessage(JSON.stringify({ t: 'want', role: 'camera', on: false }))).toEqual({ t: 'want', role: 'camera', on: false })
    expect(parseControlMessage(JSON.stringify({ t: 'streams', camera: 'abc', screen: null }))).toEqual({
      t: 'streams',
      camera: 'abc',
      screen: null
    })
    expect(parseControlMessage(JSON.stringify({ t: 'want', role: 'mic', on: false }))).toBeNull()
    expect(parseControlMessage('{not json')).toBeNull()
    expect(parseControlMessage(new ArrayBuffer(4))).toBeNull()
    // "ask me for a key frame" (the sender records what it sends) carries nothing else
    expect(parseControlMessage(JSON.stringify({ t: 'key-frame' }))).toEqual({ t: 'key-frame' })
    expect(parseControlMessage(JSON.stringify({ t: 'key-frame', role: 'camera' }))).toEqual({ t: 'key-frame' })
    expect(parseControlMessage(JSON.stringify({ t: 'streams', camera: 'x'.repeat(2000), screen: null }))).toBeNull()
  })

  it('a tile size is whole pixels within bounds', () => {
    const size = { t: 'size', role: 'camera', width: 640, height: 360 }
    expect(parseControlMessage(JSON.stringify(size))).toEqual(size)
    for (const bad of [{ width: 0 }, { width: 1e6 }, { height: 1.5 }, { height: -3 }, { width: '640' }])
      expect(parseControlMessage(JSON.stringify({ ...size, ...bad }))).toBeNull()
  })
})

describe('active speaker', () => {
  it('takes the first speaker at once and hands over only after a sustained lead', () => {
    const s = new ActiveSpeaker({ holdMs: 1000, threshold: 0.02 })
    expect(
      s.update(
        new Map([
          ['a', 0.001],
          ['b', 0.0]
        ]),
        0
      )
    ).toBeNull()
    expect(
      s.update(
        new Map([
          ['a', 0.3],
          ['b', 0.0]
        ]),
        100
      )
    ).toBe('a')
    expect(
      s.update(
        new Map([
          ['a', 0.0],
          ['b', 0.4]
        ]),
        200
      )
    ).toBe('a')
    expect(
      s.update(
        new Map([
          ['a', 0.0],
          ['b', 0.4]
        ]),
        900
      )
    ).toBe('a')
    expect(
      s.update(
        new Map([
          ['a', 0.0],
          ['b', 0.4]
        ]),
        1300
      )
    ).toBe('b')
  })

  it('forgets a speaker who left', () => {
    const s = new ActiveSpeaker({ threshold: 0.02 })
    s.update(new Map([['a', 0.5]]), 0)
    expect(s.update(new Map([['b', 0.0]]), 100)).toBeNull()
  })
})
