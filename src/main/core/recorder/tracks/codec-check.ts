/**
 * Just enough of VP8 and Opus to refuse bytes that are not what a track says it carries, and to
 * read a VP8 key frame's picture size (the track file's header needs it). A peer's page sends
 * these frames, so a batch of garbage must be refused before it reaches the file.
 */

/** Width and height of a VP8 key frame (RFC 6386 9.1), or null when `data` is not one. */
export function vp8KeyFrameSize(data: Uint8Array): { width: number; height: number } | null {
  if (data.byteLength < 10) return null
  const b0 = data[0] as number
  const keyFrame = (b0 & 1) === 0
  const version = (b0 >> 1) & 7
  if (!keyFrame || version > 3) return null
  if (data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) return null // the key frame start code
  const width = ((data[6] as number) | ((data[7] as number) << 8)) & 0x3fff
  const height = ((data[8] as number) | ((data[9] as number) << 8)) & 0x3fff
  return width > 0 && height > 0 ? { width, height } : null
}

/** A VP8 frame's first byte says key or inter frame and a version 0-3; anything else is not VP8. */
export function looksLikeVp8(data: Uint8Array, key: boolean): boolean {
  if (data.byteLength < 3) return false
  const b0 = data[0] as number
  if (((b0 >> 1) & 7) > 3) return false
  return key ? vp8KeyFrameSize(data) !== null : (b0 & 1) === 1
}

/**
 * An Opus packet (RFC 6716 3.1): a TOC byte and, for code 3, a frame count byte whose count
 * (1-48) fits 120 ms. Silence packets are a few bytes; a packet never exceeds 1275 bytes per
 * frame (we allow the 120 ms worst case).
 */
export function looksLikeOpus(data: Uint8Array): boolean {
  if (data.byteLength < 1 || data.byteLength > 1275 * 6 + 7) return false
  const code = (data[0] as number) & 3
  if (code === 3) {
    if (data.byteLength < 2) return false
    const count = (data[1] as number) & 0x3f
    return count >= 1 && count <= 48
  }
  return true
}
