import { FILE_CHUNK_MAX_BYTES, MAX_FILE_BYTES, toDymError, type DymApi, type FileTransfer } from '../../../shared/contract/index'

export interface FileTransfersState {
  /** in the order they were first seen */
  transfers: readonly FileTransfer[]
  /** the last thing that went wrong on our side, in words */
  error: string | null
}

const MAX_KEPT = 200
const ORDER: Record<FileTransfer['state'], number> = { offered: 0, active: 1, done: 2, declined: 2, cancelled: 2, failed: 2 }

/**
 * Files in the meeting's chat, as this page sees them: what we offered (one transfer per member)
 * and what members offer us. The core does the network and the disk; this page only sends the
 * bytes of its own files, in pieces of at most 1 MiB (`file.chunk`), one piece at a time per
 * receiver, read from the File the person picked (never the whole file in memory).
 */
export class FileTransferStore {
  private state: FileTransfersState = { transfers: [], error: null }
  private readonly listeners = new Set<() => void>()
  /** our own files, by transfer id, while they may still be sent */
  private readonly files = new Map<string, File>()
  private readonly pumping = new Set<string>()
  private unsubscribe: (() => void) | null = null

  constructor(
    private readonly dym: DymApi,
    private readonly roomId: string,
    /** a member offers us a file (the chat counts it as unread while closed) */
    private readonly onNewOffer: () => void = () => undefined
  ) {}

  getSnapshot = (): FileTransfersState => this.state
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  start(): void {
    if (this.unsubscribe) return
    this.unsubscribe = this.dym.on('file.transfer', (t) => {
      if (t.roomId === this.roomId) this.upsert(t)
    })
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    this.files.clear()
  }

  /** Offer a file to everyone in the meeting now. */
  async offer(file: File): Promise<void> {
    if (file.size === 0) return this.fail(`${file.name} is empty: there is nothing to send`)
    if (file.size > MAX_FILE_BYTES) return this.fail(`${file.name} is larger than 2 GB`)
    try {
      const { transfers } = await this.dym.invoke('file.offer', {
        roomId: this.roomId,
        name: file.name.slice(0, 1024) || 'file',
        size: file.size,
        ...(file.type ? { mime: file.type.slice(0, 200) } : {})
      })
      for (const t of transfers) this.files.set(t.transferId, file)
      for (const t of transfers) this.upsert(t)
      this.update({ error: null })
    } catch (err) {
      this.fail(`${file.name} was not offered: ${toDymError(err).message}`)
    }
  }

  async accept(transferId: string): Promise<void> {
    try {
      await this.dym.invoke('file.accept', { transferId })
    } catch (err) {
      this.fail(`Could not accept the file: ${toDymError(err).message}`)
    }
  }

  /** Decline an offer, or cancel a transfer either way. */
  async cancel(transferId: string): Promise<void> {
    try {
      await this.dym.invoke('file.cancel', { transferId })
    } catch (err) {
      this.fail(toDymError(err).message)
    }
  }

  private upsert(t: FileTransfer): void {
    const list = this.state.transfers
    const i = list.findIndex((x) => x.transferId === t.transferId)
    const old = list[i]
    // Events and answers may cross: never step back to an earlier state or fewer bytes.
    if (old && (ORDER[t.state] < ORDER[old.state] || (t.state === old.state && t.bytes < old.bytes))) return
    if (!old && t.direction === 'in' && t.state === 'offered') this.onNewOffer()
    const next = i >= 0 ? list.map((x, j) => (j === i ? t : x)) : [...list, t].slice(-MAX_KEPT)
    this.update({ transfers: next })
    if (ORDER[t.state] === 2) this.files.delete(t.transferId)
    if (t.direction === 'out' && t.state === 'active') void this.pump(t.transferId, t.bytes)
  }

  /** Send our file to one receiver who accepted, from `from` on, piece by piece. */
  private async pump(transferId: string, from: number): Promise<void> {
    const file = this.files.get(transferId)
    if (!file || this.pumping.has(transferId)) return
    this.pumping.add(transferId)
    try {
      for (let offset = from; offset < file.size && this.files.has(transferId);) {
        const bytes = new Uint8Array(await file.slice(offset, Math.min(offset + FILE_CHUNK_MAX_BYTES, file.size)).arrayBuffer())
        const { bytes: sent } = await this.dym.invoke('file.chunk', { transferId, offset, bytes })
        offset = sent
      }
    } catch (err) {
      // A cancel (either side) or a lost connection ends the transfer in the core, and its own
      // event says why; anything else is said here.
      const error = toDymError(err)
      if (error.code !== 'conflict' && error.code !== 'unavailable') this.fail(`Sending ${file.name} stopped: ${error.message}`)
    } finally {
      this.pumping.delete(transferId)
    }
  }

  private fail(error: string): void {
    this.update({ error })
  }

  private update(patch: Partial<FileTransfersState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener()
  }
}
