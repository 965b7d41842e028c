import { spawn } from 'node:child_process'

/** Moments tried, as shares of the duration: a few, each one fast seek and one small decode. */
const SHARES = [0.15, 0.35, 0.55, 0.75]
/** A picture this flat (standard deviation of its brightness, 0-255) is taken as empty: black, or one colour. */
const FLAT = 6

/** Brightness of a tiny grey copy of the first video's frame at `atSec`, or null when there is none. */
function tinyFrame(ffmpeg: string, file: string, atSec: number): Promise<Uint8Array | null> {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', atSec.toFixed(2), '-i', file, '-map', '0:v:0']
  args.push('-frames:v', '1', '-vf', 'scale=32:18:flags=area,format=gray', '-f', 'rawvideo', '-')
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true })
    const parts: Buffer[] = []
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.stdout.on('data', (d: Buffer) => parts.push(d))
    child.once('error', () => resolve(null))
    child.once('close', (code) => {
      clearTimeout(timer)
      const bytes = Buffer.concat(parts)
      resolve(code === 0 && bytes.length === 32 * 18 ? new Uint8Array(bytes) : null)
    })
  })
}

function spread(pixels: Uint8Array): number {
  const mean = pixels.reduce((a, b) => a + b, 0) / pixels.length
  return Math.sqrt(pixels.reduce((a, b) => a + (b - mean) ** 2, 0) / pixels.length)
}

/**
 * When to take a recording's thumbnail: the first of a few moments whose picture has content
 * (a meeting's first seconds are often black: cameras warming up, a compositor that has not
 * drawn anyone yet, the first person arriving late), else the busiest of them, else 2 s in.
 */
export async function thumbnailMoment(ffmpeg: string, file: string, durationSec: number | null): Promise<number> {
  if (!durationSec || durationSec <= 0) return 0
  let best = { at: Math.min(2, durationSec / 3), spread: -1 }
  for (const share of SHARES) {
    const at = durationSec * share
    const frame = await tinyFrame(ffmpeg, file, at)
    if (!frame) continue
    const s = spread(frame)
    if (s > FLAT) return at
    if (s > best.spread) best = { at, spread: s }
  }
  return best.at
}
