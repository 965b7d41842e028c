import { Target } from 'mediabunny'

/** Bytes the muxer wrote at one place in the file, in a row. */
export interface HeldRun {
  position: number
  bytes: Uint8Array
}

/**
 * Where mediabunny's muxer writes a track file: the bytes are held here, in one buffer, until the
 * track file takes them and puts them on disk in one write per batch of frames (and one for each
 * size the muxer fills in behind what was taken).
 *
 * mediabunny's own StreamTarget does the same through a WritableStream: for every packet it
 * sorts and copies what was written and queues a stream write, which was more than half of what
 * muxing a batch cost the core. This target implements the calls mediabunny's Output makes on a
 * target (`_start`, `_write`, `_flush`, `_finalize`, `_close`, as its NullTarget and BufferTarget
 * do); they are not in its typings, so the track files' tests, which read every file back with
 * ffprobe, are what guard this against a new mediabunny.
 */
export class HeldBytesTarget extends Target {
  /** the bytes from `start` on, written since the last take */
  private buffer = new Uint8Array(64 * 1024)
  private start = 0
  private end = 0
  /** writes to bytes before `start` (the muxer filling in a size it left open) */
  private patches: HeldRun[] = []

  /** Everything written since the last take, as runs of bytes to write at their positions. */
  take(): HeldRun[] {
    const runs = this.patches
    this.patches = []
    if (this.end > this.start) runs.push({ position: this.start, bytes: this.buffer.slice(0, this.end - this.start) })
    this.start = this.end
    return runs
  }

  /** @internal mediabunny's Output: a write at `position`; `data` is the muxer's to reuse, so it is copied. */
  _write(data: Uint8Array, position: number): void {
    if (position < this.start) {
      const before = Math.min(data.byteLength, this.start - position)
      this.patches.push({ position, bytes: data.slice(0, before) })
      if (before === data.byteLength) return
      data = data.subarray(before)
      position = this.start
    }
    const offset = position - this.start
    const used = this.end - this.start
    const needed = offset + data.byteLength
    if (needed > this.buffer.byteLength) {
      const bigger = new Uint8Array(Math.max(this.buffer.byteLength * 2, needed))
      bigger.set(this.buffer.subarray(0, used))
      this.buffer = bigger
    }
    // A size the muxer leaves open is written later; until then it is zeros, never stale bytes.
    if (offset > used) this.buffer.fill(0, used, offset)
    this.buffer.set(data, offset)
    this.end = Math.max(this.end, position + data.byteLength)
  }

  /** @internal */
  _start(): void {}
  /** @internal the track file flushes on its own schedule (once per batch) */
  async _flush(): Promise<void> {}
  /** @internal */
  async _finalize(): Promise<void> {}
  /** @internal */
  async _close(): Promise<void> {}
}
