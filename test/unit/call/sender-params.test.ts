import { describe, expect, it } from 'vitest'
import { setEncoding, type EncodingParams, type EncodingSender } from '../../../src/renderer/features/call/sender-params'

/** A sender that counts how often the page would have asked WebRTC's worker thread. */
type Encoding = NonNullable<EncodingParams['encodings']>[number]

function fakeSender(encodings: Encoding[] = [{ active: true }]) {
  const calls = { get: 0, set: 0 }
  let current = structuredClone(encodings)
  let preference: EncodingParams['degradationPreference']
  const sender: EncodingSender = {
    getParameters: () => {
      calls.get++
      return { encodings: structuredClone(current), degradationPreference: preference }
    },
    setParameters: async (params: EncodingParams) => {
      calls.set++
      current = structuredClone(params.encodings ?? [])
      preference = params.degradationPreference
    }
  }
  return { sender, calls, encoding: () => current[0], preference: () => preference }
}

const CAP = { maxBitrate: 1_000_000, scaleResolutionDownBy: 1, maxFramerate: 30 }

describe('sender encodings', () => {
  it('applies a cap once; the same cap again does not ask the sender at all', async () => {
    const { sender, calls, encoding } = fakeSender()
    await setEncoding(sender, CAP, true)
    expect(encoding()).toMatchObject({ active: true, maxBitrate: 1_000_000, scaleResolutionDownBy: 1, maxFramerate: 30 })
    for (let i = 0; i < 5; i++) await setEncoding(sender, CAP, true)
    expect(calls).toEqual({ get: 1, set: 1 })
  })

  it('tells the encoder to keep the size we chose and give way in frame rate', async () => {
    const { sender, preference } = fakeSender()
    await setEncoding(sender, CAP, true)
    expect(preference()).toBe('maintain-resolution')
  })

  it('a new cap or pausing the video is applied', async () => {
    const { sender, calls, encoding } = fakeSender()
    await setEncoding(sender, CAP, true)
    await setEncoding(sender, { ...CAP, maxBitrate: 500_000 }, true)
    expect(encoding()?.maxBitrate).toBe(500_000)
    await setEncoding(sender, { ...CAP, maxBitrate: 500_000 }, false)
    expect(encoding()?.active).toBe(false)
    expect(calls.set).toBe(3)
  })

  it('after a negotiation (fresh) the sender is read again, and set only if it lost the cap', async () => {
    const { sender, calls } = fakeSender()
    await setEncoding(sender, CAP, true)
    await setEncoding(sender, CAP, true, true)
    expect(calls).toEqual({ get: 2, set: 1 }) // it still had them
  })

  it('a sender with no encoding yet (not negotiated) is tried again next time', async () => {
    const { sender, calls } = fakeSender([])
    await setEncoding(sender, CAP, true)
    await setEncoding(sender, CAP, true)
    expect(calls).toEqual({ get: 2, set: 0 })
  })
})
