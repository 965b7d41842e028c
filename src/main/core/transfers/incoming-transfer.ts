import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, rm, statfs, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'
import type { FileTransfer, TransferState } from '../../../shared/contract/files'
import type { PersonView } from '../../../shared/contract/people'
import { DECISION_TIMEOUT_MS, STALL_TIMEOUT_MS, type FileChannel, type Offer, type RefuseCode } from '../p2p/protocols/file/index'
import { publishWithoutOverwrite, safeFileName } from './safe-names'

export interface IncomingDeps {
  /** The downloads folder now (the setting, else the host's default). */
  folder(): string
  /** the folder is one the person chose in Settings (its path is then shown with the file) */
  folderChosen?(): boolean
  /** The sender broke the protocol (bytes before accept, more than offered, nonsense). */
  strike(points: number): void
  changed(transfer: FileTransfer, progressOnly: boolean): void
  /** no bytes for this long ends an accepted transfer (tests shorten it) */
  stallMs: number
}

const TERMINAL: ReadonlySet<TransferState> = new Set(['done', 'declined', 'cancelled', 'failed'])

/**
 * A file a member offered us. Nothing touches the disk until our person accepts; then the bytes
 * go to a hidden temp file in the downloads folder, hashed as they come, never more than
 * offered. Only when the sender's SHA-256 matches is the file given its (cleaned, free) name,
 * by a link that never replaces anything. Any other end removes the temp file.
 */
export class IncomingTransfer {
  readonly id = randomUUID()
  readonly name: string
  readonly size: number
  private state: TransferState = 'offered'
  private bytes = 0
  private reason: string | undefined
  private savedAs: string | undefined
  private savedIn: string | undefined
  private sha256: string | undefined
  private file: FileHandle | null = null
  private tempPath: string | null = null
  private folder: string | null = null
  private readonly hash = createHash('sha256')
  /** Disk work in order: a cancel waits for the write in progress before removing the file. */
  private disk: Promise<unknown> = Promise.resolve()

  constructor(
    readonly roomId: string,
    readonly peer: PersonView,
    offer: Offer,
    private readonly channel: FileChannel,
    private readonly deps: IncomingDeps
  ) {
    this.name = safeFileName(offer.name)
    this.size = offer.size
  }

  get finished(): boolean {
    return TERMINAL.has(this.state)
  }

  view(): FileTransfer {
    return {
      transferId: this.id,
      roomId: this.roomId,
      direction: 'in',
      peer: this.peer,
      name: this.name,
      size: this.size,
      bytes: this.bytes,
      state: this.state,
      ...(this.savedAs ? { savedAs: this.savedAs } : {}),
      ...(this.savedIn ? { savedIn: this.savedIn } : {}),
      ...(this.sha256 ? { sha256: this.sha256 } : {}),
      ...(this.reason ? { reason: this.reason } : {})
    }
  }

  /** Start listening to the sender (it may cancel while our person decides). */
  start(): void {
    void this.run()
  }

  async accept(): Promise<void> {
    if (this.state !== 'offered') throw new DymError('conflict', `This file is ${this.state}, it cannot be accepted now`)
    const folder = this.deps.folder()
    try {
      await mkdir(folder, { recursive: true })
      const space = await statfs(folder)
      if (space.bavail * space.bsize < this.size) throw new DymError('unavailable', `Not enough free space in ${folder} for this file`)
      const tempPath = path.join(folder, `.dym-${randomUUID()}.part`)
      // Exclusive create: never opens something that is already there (a link included).
      this.file = await open(tempPath, 'wx', 0o600)
      this.tempPath = tempPath
      this.folder = folder
      this.savedIn = this.deps.folderChosen?.() ? folder.slice(0, 1024) : undefined
    } catch (err) {
      if (err instanceof DymError) throw err
      throw new DymError('unavailable', `Cannot save into ${folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    if (this.state !== 'offered') {
      // Cancelled (by either side) while the file was being made.
      await this.removePartial()
      throw new DymError('conflict', `This file is ${this.state}`)
    }
    this.state = 'active'
    this.changed()
    try {
      await this.channel.send({ t: 'accept' }, STALL_TIMEOUT_MS)
    } catch (err) {
      await this.end('failed', `The connection to ${this.peer.displayName} was lost`, null)
      throw new DymError('unavailable', `Could not reach ${this.peer.displayName}: ${(err as Error).message}`)
    }
  }

  /** Our person declines the offer or cancels the transfer. */
  async cancel(): Promise<void> {
    if (this.finished) return
    if (this.state === 'offered') await this.end('declined', 'You declined this file', ['declined', 'They declined the file'])
    else await this.end('cancelled', 'You cancelled this file', ['cancelled', 'They cancelled the download'])
  }

  private async run(): Promise<void> {
    for (;;) {
      let next
      try {
        next = await this.channel.read(this.state === 'offered' ? DECISION_TIMEOUT_MS : this.deps.stallMs)
      } catch (err) {
        if (this.finished) return
        const name = (err as Error).name
        if (name === 'InvalidFrameError') return this.broken(2, 'The sender sent something that is not part of a file')
        if (name === 'FrameTimeoutError')
          return this.end('failed', this.state === 'offered' ? 'The offer expired' : 'The transfer stalled', [
            'timeout',
            'Nothing moved for too long'
          ])
        return this.end('failed', `The connection to ${this.peer.displayName} was lost`, null)
      }
      if (this.finished) return
      if (next.kind === 'data') {
        if (this.state !== 'active') return this.broken(2, 'The sender sent the file before it was accepted')
        if (this.bytes + next.bytes.byteLength > this.size) return this.broken(2, 'The sender sent more than the size it offered', 'size')
        const ok = await this.write(next.bytes)
        if (!ok) return
        continue
      }
      const frame = next.frame
      if (frame.t === 'refuse') {
        if (frame.code === 'cancelled') return this.end('cancelled', `${this.peer.displayName} cancelled the file`, null)
        return this.end('failed', `${this.peer.displayName} stopped: ${frame.reason}`, null)
      }
      if (frame.t === 'end' && this.state === 'active') return this.finish(frame.sha256)
      return this.broken(1, `Unexpected ${frame.t} from the sender`)
    }
  }

  private async write(chunk: Uint8Array): Promise<boolean> {
    const file = this.file
    if (!file) return false
    const writing = this.disk.then(async () => {
      let at = 0
      while (at < chunk.byteLength) at += (await file.write(chunk, at, chunk.byteLength - at)).bytesWritten
    })
    this.disk = writing.catch(() => undefined)
    try {
      await writing
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : `it could not be written (${code ?? 'error'})`
      await this.end('failed', `The file was not saved: ${why}`, ['failed', 'The receiver could not save the file'])
      return false
    }
    if (this.finished) return false
    this.hash.update(chunk)
    this.bytes += chunk.byteLength
    this.changed(true)
    return true
  }

  private async finish(theirs: string): Promise<void> {
    if (this.bytes !== this.size) return this.broken(2, `The sender stopped at ${this.bytes} of ${this.size} bytes`, 'size')
    const ours = this.hash.digest('hex')
    if (ours !== theirs) {
      return this.end('failed', 'The file did not arrive intact (its SHA-256 does not match): nothing was kept', [
        'hash',
        'The file arrived damaged (SHA-256 mismatch) and was removed'
      ])
    }
    try {
      await this.disk
      const file = this.file!
      this.file = null
      await file.datasync()
      await file.close()
      this.savedAs = await publishWithoutOverwrite(this.tempPath!, this.folder!, this.name)
      this.tempPath = null
    } catch (err) {
      return this.end('failed', `The file was not saved: ${(err as Error).message}`, ['failed', 'The receiver could not save the file'])
    }
    this.sha256 = ours
    this.state = 'done'
    this.changed()
    try {
      await this.channel.send({ t: 'done' }, STALL_TIMEOUT_MS)
    } catch {
      // we have the file; the sender will time out on its own
    }
    await this.channel.close()
  }

  private async broken(points: number, reason: string, code: RefuseCode = 'protocol'): Promise<void> {
    this.deps.strike(points)
    await this.end('failed', reason, [code, reason])
  }

  /** One way out for every end but success: tell the sender (if we are the ones ending), drop the partial file. */
  private async end(state: TransferState, reason: string, tell: [RefuseCode, string] | null): Promise<void> {
    if (this.finished) return
    this.state = state
    this.reason = reason
    if (tell) await this.channel.refuse(tell[0], tell[1])
    else this.channel.abort(new Error(reason))
    // Told only once the partial file is gone: what the person sees is what is on disk.
    await this.removePartial()
    this.changed()
  }

  private async removePartial(): Promise<void> {
    await this.disk
    const file = this.file
    const temp = this.tempPath
    this.file = null
    this.tempPath = null
    await file?.close().catch(() => undefined)
    if (temp) await rm(temp, { force: true }).catch(() => undefined)
  }

  private changed(progressOnly = false): void {
    this.deps.changed(this.view(), progressOnly)
  }
}
