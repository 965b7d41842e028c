import { describe, expect, it } from 'vitest'
import { WebmStreamCheck } from '../../../src/main/core/recorder/webm-check'
import { webmFixture } from '../../support/media'

describe('the WebM stream check of composed recordings', () => {
  it("takes a stream cut anywhere, as Chromium's MediaRecorder cuts it (a 1-byte first slice, the next inside the header's ID)", async () => {
    const { bytes } = await webmFixture({ seconds: 6 })
    for (const cut of [1, 2, 3, 4, 5, 9, 17, 33, 64, 1000, 4093]) {
      const check = new WebmStreamCheck()
      expect(check.feed(bytes.subarray(0, cut))).toBeNull()
      expect(check.feed(bytes.subarray(cut, cut + 70_001))).toBeNull()
      expect(check.feed(bytes.subarray(cut + 70_001))).toBeNull()
    }
  }, 60_000)

  it('refuses what is not a recording, and a refused slice leaves the check where it was', async () => {
    const { bytes } = await webmFixture({ seconds: 6 })
    expect(new WebmStreamCheck().feed(new TextEncoder().encode('{"hello": "world"}'))).toMatch(/WebM header|element/)
    const check = new WebmStreamCheck()
    expect(check.feed(bytes.subarray(0, 200_000))).toBeNull()
    expect(check.feed(new Uint8Array(300_000).fill(0x42))).not.toBeNull()
    expect(check.feed(bytes.subarray(200_000))).toBeNull()
  }, 60_000)
})
