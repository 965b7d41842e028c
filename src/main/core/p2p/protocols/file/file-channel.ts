import type { PeerId, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { FrameTimeoutError, InvalidFrameError } from '../../errors'
import { decodeFrame } from '../../framed-stream'
import { MAX_CONTROL_FRAME_BYTES, MAX_FRAME_BYTES, RECEIVE_BUFFER_BYTES } from './constants'
import { ControlFrame, FRAME_CONTROL, FRAME_DATA, type RefuseCode } from './messages'

export type FileFrame = { kind: 'control'; frame: ControlFrame } | { kind: 'data'; bytes: Uint8Array }

const encoder = new TextEncoder()

/**
 * Flow control on our side of the stream: once this much has arrived unread, no more window is
 * granted to the sender; below the lower mark it is granted again. Neither libp2p's byte stream
 * nor the stream's iterator hold a sender back, so without this a receiver slower than the
 * network (a busy disk) fills its buffers until the stream is reset.
 */
const PAUSE_AT_BYTES = 4 * 1024 * 1024
const RESUME_AT_BYTES = 1024 * 1024

/** Bytes of the unsigned varint that prefixes a frame of `n` bytes. */
function prefixBytes(n: number): number {
  let bytes = 1
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) bytes++
  return bytes
}

/**
 * One transfer's stream: typed control frames and data frames, every read and write bounded in
 * time. A frame that is neither is an InvalidFrameError; a length prefix over the cap ends the
 * stream (lpStream refuses it before buffering).
 */
export class FileChannel {
  private readonly lp: LengthPrefixedStream<Stream>
  private ended = false
  /** bytes the stream has handed us that no read has taken yet */
  private unread = 0

  constructor(
    readonly stream: Stream,
    readonly peer: PeerId
  ) {
    // A paused stream still takes what the sender's yamux window allows (up to 16 MiB), and a
    // resume hands all of it on at once: the buffers hold that much above the pause mark.
    stream.maxReadBufferLength = RECEIVE_BUFFER_BYTES
    this.lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES, maxBufferSize: RECEIVE_BUFFER_BYTES + PAUSE_AT_BYTES })
    stream.addEventListener('message', (evt) => {
      this.unread += evt.data.byteLength
      // Not from inside the listener: during a resume the stream grants window again after
      // handing on its buffer, which would undo a pause made while it hands it on.
      if (this.unread >= PAUSE_AT_BYTES) queueMicrotask(() => this.pauseIfFull())
    })
  }

  get key(): string {
    return this.peer.toString()
  }

  get open(): boolean {
    return !this.ended && this.stream.status === 'open'
  }

  async read(timeoutMs: number, signal?: AbortSignal): Promise<FileFrame> {
    let bytes: Uint8Array
    try {
      const timeout = AbortSignal.timeout(timeoutMs)
      const list = await this.lp.read({ signal: signal ? AbortSignal.any([timeout, signal]) : timeout })
      bytes = list.subarray()
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') && !signal?.aborted)
        throw new FrameTimeoutError(`nothing arrived within ${Math.round(timeoutMs / 1000)} s`)
      throw err
    }
    this.taken(bytes.byteLength + prefixBytes(bytes.byteLength))
    if (bytes.byteLength === 0) throw new InvalidFrameError('empty frame')
    const kind = bytes[0]
    const body = bytes.subarray(1)
    if (kind === FRAME_DATA) {
      if (body.byteLength === 0) throw new InvalidFrameError('empty data frame')
      return { kind: 'data', bytes: body }
    }
    if (kind === FRAME_CONTROL) return { kind: 'control', frame: decodeFrame(body, ControlFrame, MAX_CONTROL_FRAME_BYTES) }
    throw new InvalidFrameError(`unknown frame kind ${kind}`)
  }

  /** The next frame, which must be a control frame. */
  async readControl(timeoutMs: number, signal?: AbortSignal): Promise<ControlFrame> {
    const next = await this.read(timeoutMs, signal)
    if (next.kind !== 'control') throw new InvalidFrameError('file bytes where a control frame was due')
    return next.frame
  }

  async send(frame: ControlFrame, timeoutMs: number): Promise<void> {
    const json = encoder.encode(JSON.stringify(frame))
    if (json.byteLength > MAX_CONTROL_FRAME_BYTES) throw new InvalidFrameError('control frame too large')
    const bytes = new Uint8Array(json.byteLength + 1)
    bytes[0] = FRAME_CONTROL
    bytes.set(json, 1)
    await this.write(bytes, timeoutMs)
  }

  async sendData(chunk: Uint8Array, timeoutMs: number): Promise<void> {
    const bytes = new Uint8Array(chunk.byteLength + 1)
    bytes[0] = FRAME_DATA
    bytes.set(chunk, 1)
    await this.write(bytes, timeoutMs)
  }

  private pauseIfFull(): void {
    if (this.unread >= PAUSE_AT_BYTES && this.stream.readStatus === 'readable') this.stream.pause()
  }

  private taken(bytes: number): void {
    this.unread -= bytes
    if (this.unread <= RESUME_AT_BYTES && this.stream.readStatus === 'paused') this.stream.resume()
  }

  /** Tell the other side why we stop (best effort, briefly), then close. */
  async refuse(code: RefuseCode, reason: string): Promise<void> {
    if (!this.open) return
    try {
      await this.send({ t: 'refuse', code, reason: reason.slice(0, 300) }, 2_000)
    } catch {
      // the other side may be gone already
    }
    await this.close()
  }

  async close(): Promise<void> {
    if (this.ended) return
    this.ended = true
    try {
      await this.stream.close({ signal: AbortSignal.timeout(2_000) })
    } catch (err) {
      this.stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  abort(err: Error): void {
    this.ended = true
    this.stream.abort(err)
  }

  private async write(bytes: Uint8Array, timeoutMs: number): Promise<void> {
    try {
      await this.lp.write(bytes, { signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
        throw new FrameTimeoutError(`the other side took nothing for ${Math.round(timeoutMs / 1000)} s`)
      throw err
    }
  }
}
