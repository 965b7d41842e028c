import type { PeerId, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { FrameTimeoutError, InvalidFrameError } from '../../errors'
import { decodeFrame } from '../../framed-stream'
import { MAX_CONTROL_FRAME_BYTES, MAX_FRAME_BYTES, RECEIVE_BUFFER_BYTES } from './constants'
import { ControlFrame, FRAME_CONTROL, FRAME_DATA, type RefuseCode } from './messages'

export type FileFrame = { kind: 'control'; frame: ControlFrame } | { kind: 'data'; bytes: Uint8Array }

const encoder = new TextEncoder()

/**
 * One transfer's stream: typed control frames and data frames, every read and write bounded in
 * time. A frame that is neither is an InvalidFrameError; a length prefix over the cap ends the
 * stream (lpStream refuses it before buffering).
 */
export class FileChannel {
  private readonly lp: LengthPrefixedStream<Stream>
  private ended = false

  constructor(
    readonly stream: Stream,
    readonly peer: PeerId
  ) {
    // A paused stream still takes what the sender's yamux window allows (up to 16 MiB): the
    // buffers must hold that much, or a receiver busy with its disk would reset the stream.
    stream.maxReadBufferLength = RECEIVE_BUFFER_BYTES
    this.lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES, maxBufferSize: RECEIVE_BUFFER_BYTES })
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

  /**
   * Hold the sender back while we write to disk: no more window is granted until `release`, so
   * the bytes in flight stay bounded however fast the sender is.
   */
  hold(): void {
    if (this.stream.readStatus === 'readable') this.stream.pause()
  }

  release(): void {
    if (this.stream.readStatus === 'paused') this.stream.resume()
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
