import { describe, expect, it } from 'vitest'
import { cameraCap } from '../../../src/renderer/features/call/bitrate'
import { fitCamera } from '../../../src/renderer/features/call/tile-fit'

const CAPTURE = { width: 960, height: 540 }
const sent = (scale: number) => ({ width: Math.round(CAPTURE.width / scale), height: Math.round(CAPTURE.height / scale) })

describe('the camera sized to the tile that shows it', () => {
  it('two people, a tile a little under 360 tall: 640x360, with the bitrate that size needs', () => {
    const fit = fitCamera(cameraCap('medium', 1), CAPTURE, { width: 620, height: 349 }, null)
    expect(sent(fit.scaleResolutionDownBy)).toEqual({ width: 640, height: 360 })
    expect(fit.maxBitrate).toBeGreaterThanOrEqual(600_000)
    expect(fit.maxBitrate).toBeLessThanOrEqual(cameraCap('medium', 1).maxBitrate)
  })

  it('the speaker gets the whole capture; a strip tile gets 180p', () => {
    expect(fitCamera(cameraCap('medium', 2), CAPTURE, { width: 1200, height: 640 }, null).scaleResolutionDownBy).toBe(1)
    const strip = fitCamera(cameraCap('medium', 2), CAPTURE, { width: 200, height: 120 }, null)
    expect(sent(strip.scaleResolutionDownBy)).toEqual({ width: 320, height: 180 })
    expect(strip.maxBitrate).toBeLessThan(300_000)
  })

  it('never upscales and never exceeds the room cap', () => {
    const cap = cameraCap('medium', 4)
    const fit = fitCamera(cap, CAPTURE, { width: 3840, height: 2160 }, null)
    expect(fit.scaleResolutionDownBy).toBeGreaterThanOrEqual(cap.scaleResolutionDownBy)
    expect(fit.maxBitrate).toBeLessThanOrEqual(cap.maxBitrate)
    expect(fitCamera(cameraCap('medium', 1), { width: 320, height: 180 }, { width: 1280, height: 720 }, null).scaleResolutionDownBy).toBe(1)
  })

  it('a tile wider than 16:9 asks for the height that fills its width (the video covers the tile)', () => {
    const fit = fitCamera(cameraCap('medium', 1), CAPTURE, { width: 900, height: 300 }, null)
    expect(sent(fit.scaleResolutionDownBy).height).toBe(540)
  })

  it('a link that cannot carry a size at 24 fps steps down until it can, and back up when it can', () => {
    const cap = cameraCap('medium', 1)
    const tile = { width: 960, height: 540 }
    expect(sent(fitCamera(cap, CAPTURE, tile, 2_000_000).scaleResolutionDownBy).height).toBe(540)
    expect(sent(fitCamera(cap, CAPTURE, tile, 300_000).scaleResolutionDownBy).height).toBe(360)
    expect(sent(fitCamera(cap, CAPTURE, tile, 100_000).scaleResolutionDownBy).height).toBe(180)
    expect(sent(fitCamera(cap, CAPTURE, tile, 50_000).scaleResolutionDownBy).height).toBe(180)
  })

  it('without a capture size (no camera yet) the room cap is used as it is', () => {
    const cap = cameraCap('low', 3)
    expect(fitCamera(cap, null, { width: 100, height: 100 }, null)).toEqual(cap)
  })
})
