/**
 * Checks, slice by slice, that the bytes of a composed recording are a WebM stream as
 * MediaRecorder writes one: an EBML header, then a Segment of Info, Tracks and Clusters of
 * blocks. Chromium cuts its slices anywhere (its first is one byte, the next starts inside the
 * header's ID), so the check carries a cut header or frame over to the next slice. Only element
 * headers are read (ID and size), payloads are skipped, so it costs next to nothing per slice.
 * A slice that does not continue the stream is refused whole and leaves the check where it
 * was, so the next good slice still fits. It does not decode media: bytes that stay within the
 * declared size of the frame they continue cannot be told from that frame's data; anything
 * longer must parse as the elements of a recording.
 */

/** Masters whose children follow directly (their size may be "unknown" in a live stream). */
const DESCEND = new Set([0x18538067 /* Segment */, 0x1f43b675 /* Cluster */])
const ALLOWED = new Set([
  0x1a45dfa3, // EBML header
  0x18538067, // Segment
  0x114d9b74, // SeekHead
  0x1549a966, // Info
  0x1654ae6b, // Tracks
  0x1f43b675, // Cluster
  0x1c53bb6b, // Cues
  0x1941a469, // Attachments
  0x1043a770, // Chapters
  0x1254c367, // Tags
  0xe7, // Cluster Timecode
  0xa3, // SimpleBlock
  0xa0, // BlockGroup
  0xa7, // Position
  0xab, // PrevSize
  0x5854, // SilentTracks
  0xec, // Void
  0xbf // CRC-32
])
/** No element of a call's recording is bigger (a 4K key frame is ~1 MB). */
const MAX_ELEMENT_BYTES = 64 * 1024 * 1024

interface State {
  started: boolean
  /** bytes of an element header cut by the end of the last slice */
  pending: number[]
  /** payload bytes of the current element still to skip */
  skip: number
}

export class WebmStreamCheck {
  private state: State = { started: false, pending: [], skip: 0 }

  /** Null when `bytes` continues the stream (and the check moves past them), else why not. */
  feed(bytes: Uint8Array): string | null {
    const next: State = { started: this.state.started, pending: [...this.state.pending], skip: this.state.skip }
    const problem = advance(next, bytes)
    if (problem === null) this.state = next
    return problem
  }
}

function advance(s: State, bytes: Uint8Array): string | null {
  let at = 0
  while (at < bytes.byteLength) {
    if (s.skip > 0) {
      const n = Math.min(s.skip, bytes.byteLength - at)
      s.skip -= n
      at += n
      continue
    }
    s.pending.push(bytes[at] as number)
    at++
    const header = readHeader(s.pending)
    if (header === 'more') continue
    if (typeof header === 'string') return header
    s.pending = []
    if (!s.started && header.id !== 0x1a45dfa3) return 'the recording does not start with a WebM header'
    s.started = true
    if (!ALLOWED.has(header.id)) return `element 0x${header.id.toString(16)} does not belong in a recording`
    if (DESCEND.has(header.id)) continue
    if (header.size === null) return `element 0x${header.id.toString(16)} has no size`
    if (header.size > MAX_ELEMENT_BYTES) return `an element of ${header.size} bytes`
    s.skip = header.size
  }
  return null
}

/** An EBML element header: ID (1-4 bytes) and size (1-8 bytes; all ones = unknown). */
function readHeader(b: number[]): { id: number; size: number | null } | 'more' | string {
  const idLength = vintLength(b[0] as number)
  if (idLength === 0 || idLength > 4) return 'not an element ID'
  if (b.length < idLength + 1) return 'more'
  const sizeLength = vintLength(b[idLength] as number)
  if (sizeLength === 0) return 'not an element size'
  if (b.length < idLength + sizeLength) return 'more'
  let id = 0
  for (let i = 0; i < idLength; i++) id = id * 256 + (b[i] as number)
  let size = (b[idLength] as number) & (0xff >> sizeLength)
  let allOnes = size === 0xff >> sizeLength
  for (let i = 1; i < sizeLength; i++) {
    const byte = b[idLength + i] as number
    size = size * 256 + byte
    allOnes &&= byte === 0xff
  }
  return { id, size: allOnes ? null : size }
}

/** How many bytes a variable-length integer starting with `first` takes (0: not one). */
function vintLength(first: number): number {
  for (let n = 1; n <= 8; n++) if (first & (0x100 >> n)) return n
  return 0
}
