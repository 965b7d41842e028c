import type { Look } from './messages'

type Picture = Exclude<Look, 'blur'>

/**
 * The app's background pictures, drawn at the frame's size (nothing to ship or fetch, sharp at
 * any size): calm, mostly dark, so a face in front of them stays the brightest thing.
 */
export function drawPicture(picture: Picture, canvas: OffscreenCanvas): void {
  const ctx = canvas.getContext('2d')!
  const { width: w, height: h } = canvas
  if (picture === 'dusk') {
    const sky = ctx.createLinearGradient(0, 0, 0, h)
    sky.addColorStop(0, '#2b1055')
    sky.addColorStop(0.6, '#b0306a')
    sky.addColorStop(1, '#f29b5c')
    ctx.fillStyle = sky
    ctx.fillRect(0, 0, w, h)
    const sun = ctx.createRadialGradient(w * 0.78, h * 0.72, 0, w * 0.78, h * 0.72, h * 0.3)
    sun.addColorStop(0, 'rgba(255, 214, 150, 0.9)')
    sun.addColorStop(1, 'rgba(255, 214, 150, 0)')
    ctx.fillStyle = sun
    ctx.fillRect(0, 0, w, h)
  } else if (picture === 'studio') {
    const light = ctx.createRadialGradient(w / 2, h * 0.45, 0, w / 2, h * 0.45, Math.max(w, h) * 0.7)
    light.addColorStop(0, '#6b7079')
    light.addColorStop(1, '#1b1d22')
    ctx.fillStyle = light
    ctx.fillRect(0, 0, w, h)
  } else {
    const sky = ctx.createLinearGradient(0, 0, 0, h * 0.55)
    sky.addColorStop(0, '#5da9d6')
    sky.addColorStop(1, '#cfe8f5')
    ctx.fillStyle = sky
    ctx.fillRect(0, 0, w, h * 0.55)
    const sea = ctx.createLinearGradient(0, h * 0.55, 0, h)
    sea.addColorStop(0, '#2a7fae')
    sea.addColorStop(1, '#0b3d5c')
    ctx.fillStyle = sea
    ctx.fillRect(0, h * 0.55, w, h * 0.45)
  }
}
