import { createHash, randomUUID } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import { DymError } from '../../../shared/contract/errors'
import type { FileTransfer, TransferState } from '../../../shared/contract/files'
import type { PersonView } from '../../../shared/contract/people'
import {
  DATA_FRAME_BYTES,
  DECISION_TIMEOUT_MS,
  FINISH_TIMEOUT_MS,
  STALL_TIMEOUT_MS,
  type FileChannel,
  type RefuseCode
} from '../p2p/protocols/file/index'

export interface OutgoingDeps {
  open(peer: PeerId, signal: AbortSignal): Promise<FileChannel>
  changed(transfer: FileTransfer, progressOnly: boolean): void
  /** the receiver's connection takes nothing, or our page sends nothing, for this long: the transfer ends */
  stallMs: number
}

export interface OutgoingFile {
  name: string
  size: number
  mime?: string | undefined
}

const TERMINAL: ReadonlySet<TransferState> = new Set(['done', 'declined', 'cancelled', 'failed'])
/** Reading the receiver's verdict has no deadline of its own while bytes flow; stalls end it. */
const WHOLE_TRANSFER_MS = 24 * 60 * 60_000

/**
 * A file we offer one member: open a stream, offer, wait for their answer, then pass on the
 * pieces our page sends (`chunk`), hashing them, and end with the SHA-256. The receiver's
 * "done" (or refusal) is read all along, so a cancel on their side stops us at once. If the
 * page stops sending for longer than a stall, the transfer ends.
 */
export class OutgoingTransfer {
  readonly id = randomUUID()
  private state: TransferState = 'offered'
  private bytes = 0
  private reason: string | undefined
  private sha256: string | undefined
  private channel: FileChannel | null = null
  private readonly hash = createHash('sha256')
  private readonly stop = new AbortController()
  private sending = false
  private idle: ReturnType<typeof setTimeout> | null = null

  constructor(
    readonly roomId: string,
    private readonly wireId: string,
    private readonly to: PeerId,
    readonly peer: PersonView,
    private readonly file: OutgoingFile,
    private readonly deps: OutgoingDeps
  ) {}

  get finished(): boolean {
    return TERMINAL.has(this.state)
  }

  private endedEarly(): boolean {
    return this.finished && this.state !== 'done'
  }

  view(): FileTransfer {
    return {
      transferId: this.id,
      roomId: this.roomId,
      direction: 'out',
      peer: this.peer,
      name: this.file.name.slice(0, 255),
      size: this.file.size,
      bytes: this.bytes,
      state: this.state,
      ...(this.sha256 ? { sha256: this.sha256 } : {}),
      ...(this.reason ? { reason: this.reason } : {})
    }
  }

  start(): void {
    void this.run()
  }

  /** The next piece from our page; resolves once the receiver's connection took it. */
  async chunk(offset: number, bytes: Uint8Array): Promise<number> {
    const channel = this.channel
    if (this.state !== 'active' || !channel) throw new DymError('conflict', `This file is ${this.state}: nothing more is sent`)
    if (this.sending) throw new DymError('conflict', 'One piece at a time: the previous one is still being sent')
    if (offset !== this.bytes) throw new DymError('bad-request', `The next piece starts at byte ${this.bytes}, not ${offset}`)
    if (this.bytes + bytes.byteLength > this.file.size) throw new DymError('bad-request', 'That is more than the size of the file offered')
    this.sending = true
    this.armIdle(false)
    try {
      for (let at = 0; at < bytes.byteLength; at += DATA_FRAME_BYTES) {
        const piece = bytes.subarray(at, Math.min(at + DATA_FRAME_BYTES, bytes.byteLength))
        await channel.sendData(piece, this.deps.stallMs)
        this.hash.update(piece)
        this.bytes += piece.byteLength
      }
      if (this.bytes === this.file.size) {
        await channel.send({ t: 'end', sha256: (this.sha256 = this.hash.digest('hex')) }, STALL_TIMEOUT_MS)
        this.armIdle(true)
      } else this.armIdle(false)
      this.changed(true)
    } catch (err) {
      if (!this.finished) this.end('failed', `The connection to ${this.peer.displayName} was lost`)
      // libp2p may reject with the stream's close event rather than an Error
      const why = err instanceof Error ? err.message : 'the connection was closed'
      throw new DymError('unavailable', `Could not send to ${this.peer.displayName}: ${why}`)
    } finally {
      this.sending = false
    }
    // The receiver may have ended it while this piece was on its way.
    if (this.endedEarly()) throw new DymError('conflict', this.reason ?? 'This file is no longer being sent')
    return this.bytes
  }

  /** Our person cancels (or we left the meeting). */
  cancel(reason = 'You cancelled this file'): void {
    if (this.finished) return
    this.end('cancelled', reason, ['cancelled', 'The sender cancelled the file'])
  }

  private async run(): Promise<void> {
    let channel: FileChannel
    try {
      channel = await this.deps.open(this.to, this.stop.signal)
    } catch (err) {
      return this.end('failed', `Could not reach ${this.peer.displayName} directly: ${(err as Error).message}`)
    }
    if (this.finished) return void channel.refuse('cancelled', 'The sender cancelled the file')
    this.channel = channel
    try {
      const { name, size, mime } = this.file
      await channel.send({ t: 'offer', v: 1, room: this.wireId, id: this.id, name, size, ...(mime ? { mime } : {}) }, STALL_TIMEOUT_MS)
      // The receiver's person has minutes to decide; a little more for the answer to travel.
      const answer = await channel.readControl(DECISION_TIMEOUT_MS + 15_000, this.stop.signal)
      if (this.finished) return
      if (answer.t === 'refuse') return this.refused(answer.code, answer.reason)
      if (answer.t !== 'accept') return this.broken(`${this.peer.displayName} answered ${answer.t}`)
      this.state = 'active'
      this.armIdle(false)
      this.changed()
      const verdict = await channel.readControl(WHOLE_TRANSFER_MS, this.stop.signal)
      if (this.finished) return
      if (verdict.t === 'refuse') return this.refused(verdict.code, verdict.reason)
      if (verdict.t !== 'done' || this.bytes !== this.file.size) return this.broken(`${this.peer.displayName} answered ${verdict.t}`)
      this.clearIdle()
      this.state = 'done'
      this.changed()
      await channel.close()
    } catch (err) {
      if (this.finished) return
      const name = (err as Error).name
      if (name === 'FrameTimeoutError') return this.end('failed', `${this.peer.displayName} did not answer in time`)
      if (name === 'InvalidFrameError') return this.broken(`${this.peer.displayName} sent something that is not part of the protocol`)
      this.end('failed', `The connection to ${this.peer.displayName} was lost`)
    }
  }

  private refused(code: string, reason: string): void {
    if (code === 'declined') return this.end('declined', `${this.peer.displayName} declined the file`)
    if (code === 'cancelled') return this.end('cancelled', `${this.peer.displayName} cancelled the download`)
    this.end('failed', `${this.peer.displayName}: ${reason}`)
  }

  private broken(reason: string): void {
    this.end('failed', reason, ['protocol', 'Unexpected frame'])
  }

  /** While active: the page must send the next piece, or (after the last) the receiver answer, within a while. */
  private armIdle(finishing: boolean): void {
    this.clearIdle()
    this.idle = setTimeout(
      () => {
        this.end('failed', finishing ? `${this.peer.displayName} did not confirm the file` : 'The transfer stalled', [
          'timeout',
          'The transfer stalled'
        ])
      },
      finishing ? FINISH_TIMEOUT_MS : this.deps.stallMs * 2
    )
    this.idle.unref?.()
  }

  private clearIdle(): void {
    if (this.idle) clearTimeout(this.idle)
    this.idle = null
  }

  /** The one way out: tell the receiver when we are the ones ending it, else drop the stream. */
  private end(state: TransferState, reason: string, tell?: [RefuseCode, string]): void {
    if (this.finished) return
    this.clearIdle()
    this.state = state
    this.reason = reason
    this.changed()
    this.stop.abort()
    const channel = this.channel
    if (!channel) return
    if (tell) void channel.refuse(tell[0], tell[1])
    else if (state === 'failed') channel.abort(new Error(reason))
    else void channel.close()
  }

  private changed(progressOnly = false): void {
    this.deps.changed(this.view(), progressOnly)
  }
}
