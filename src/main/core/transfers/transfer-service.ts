import type { PeerId } from '@libp2p/interface'
import { DymError } from '../../../shared/contract/errors'
import type { FileTransfer } from '../../../shared/contract/files'
import type { PersonView } from '../../../shared/contract/people'
import { STALL_TIMEOUT_MS, type FileChannel, type Offer } from '../p2p/protocols/file/index'
import type { Service, ServiceContext } from '../service'
import { IncomingTransfer } from './incoming-transfer'
import { OutgoingTransfer } from './outgoing-transfer'

export type FileMethod = 'file.offer' | 'file.chunk' | 'file.accept' | 'file.cancel'

/** The meeting a file goes to, as the rooms layer gives it. */
export interface FileRoute {
  /** the room's id on the wire now (its current key) */
  wireId: string
  /** aborted when we leave the meeting: every transfer of it ends */
  closed: AbortSignal
  /** the members with a live session now */
  members: Array<{ peer: PeerId; person: PersonView }>
  open(peer: PeerId, signal: AbortSignal): Promise<FileChannel>
}

export interface TransferRooms {
  /** The meeting with this id (the contract's) if we are fully in it. */
  fileRoute(roomId: string): Promise<FileRoute | null>
}

/** Where the rooms layer hands an offer it checked (member, size, per-peer limits). */
export interface FileInbox {
  offered(incoming: {
    roomId: string
    from: PersonView
    offer: Offer
    channel: FileChannel
    closed: AbortSignal
    strike: (points: number) => void
  }): void
}

/** Progress events at most this often per transfer; changes of state go out at once. */
const PROGRESS_EVERY_MS = 250
/** A finished transfer is forgotten after this (the page keeps its own list). */
const FORGET_AFTER_MS = 60_000
/** Files we send at once, to everyone together. */
const MAX_OUTGOING = 32

type Transfer = IncomingTransfer | OutgoingTransfer

/**
 * Files in chat: the contract's file methods, and every transfer in and out until it ends. The
 * wire is `/dym/file/1.0.0` (p2p/protocols/file); the meeting (who is in it, its key) is the
 * rooms layer's. Nothing is stored but the accepted file itself, in the downloads folder.
 */
export class TransferService implements Service<FileMethod>, FileInbox {
  readonly name = 'files'
  private readonly transfers = new Map<string, Transfer>()
  private readonly lastProgress = new Map<string, number>()
  private readonly trailing = new Map<string, { view: FileTransfer; timer: ReturnType<typeof setTimeout> }>()
  private rooms: TransferRooms | null = null

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: { folder: () => string; folderChosen?: () => boolean; stallMs?: number | undefined }
  ) {}

  private get stallMs(): number {
    return this.options.stallMs ?? STALL_TIMEOUT_MS
  }

  /** The rooms layer, once it exists (it is built after us: it hands us offers). */
  attach(rooms: TransferRooms): void {
    this.rooms = rooms
  }

  readonly handlers = {
    'file.offer': (req: { roomId: string; name: string; size: number; mime?: string | undefined; to?: string[] | undefined }) =>
      this.offer(req),
    'file.chunk': async (req: { transferId: string; offset: number; bytes: Uint8Array }) => ({
      bytes: await this.outgoing(req.transferId).chunk(req.offset, req.bytes)
    }),
    'file.accept': async (req: { transferId: string }) => {
      const t = this.transfers.get(req.transferId)
      if (!(t instanceof IncomingTransfer)) throw new DymError('not-found', 'No such file offer (it may have been withdrawn)')
      await t.accept()
      return { ok: true as const }
    },
    'file.cancel': async (req: { transferId: string }) => {
      const t = this.transfers.get(req.transferId)
      if (!t) throw new DymError('not-found', 'No such file transfer')
      await t.cancel()
      return { ok: true as const }
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.transfers.values()].map((t) => t.cancel()))
    this.transfers.clear()
  }

  offered({ roomId, from, offer, channel, closed, strike }: Parameters<FileInbox['offered']>[0]): void {
    const t = new IncomingTransfer(roomId, from, offer, channel, {
      folder: this.options.folder,
      folderChosen: this.options.folderChosen,
      strike,
      stallMs: this.stallMs,
      changed: (view, progressOnly) => this.changed(view, progressOnly)
    })
    this.track(t, closed)
    this.ctx.log.info(`${from.displayName} offers a file of ${offer.size} bytes`)
    this.changed(t.view(), false)
    t.start()
  }

  private async offer(req: { roomId: string; name: string; size: number; mime?: string | undefined; to?: string[] | undefined }) {
    const route = await this.rooms?.fileRoute(req.roomId)
    if (!route) throw new DymError('not-found', 'You are not in that meeting')
    const wanted = req.to ? new Set(req.to) : null
    const members = route.members.filter((m) => !wanted || wanted.has(m.peer.toString()))
    if (members.length === 0) throw new DymError('not-found', 'Nobody else is in the meeting to send it to')
    const sending = [...this.transfers.values()].filter((t) => t instanceof OutgoingTransfer && !t.finished).length
    if (sending + members.length > MAX_OUTGOING) throw new DymError('denied', 'Too many files are on their way: wait for some to finish')
    const file = { name: req.name, size: req.size, mime: req.mime }
    const started = members.map((m) => {
      const t = new OutgoingTransfer(req.roomId, route.wireId, m.peer, m.person, file, {
        open: (peer, signal) => route.open(peer, signal),
        stallMs: this.stallMs,
        changed: (view, progressOnly) => this.changed(view, progressOnly)
      })
      this.track(t, route.closed)
      return t
    })
    for (const t of started) t.start()
    return { transfers: started.map((t) => t.view()) }
  }

  private outgoing(id: string): OutgoingTransfer {
    const t = this.transfers.get(id)
    if (!(t instanceof OutgoingTransfer)) throw new DymError('not-found', 'No such file being sent')
    return t
  }

  private track(t: Transfer, closed: AbortSignal): void {
    this.transfers.set(t.id, t)
    const left = () => void t.cancel()
    if (closed.aborted) left()
    else closed.addEventListener('abort', left, { once: true })
  }

  /** Progress at most every PROGRESS_EVERY_MS per transfer (the latest always follows); a new state at once. */
  private changed(view: FileTransfer, progressOnly: boolean): void {
    const id = view.transferId
    const pending = this.trailing.get(id)
    if (progressOnly) {
      const wait = PROGRESS_EVERY_MS - (Date.now() - (this.lastProgress.get(id) ?? 0))
      if (wait > 0) {
        if (pending) pending.view = view
        else {
          const entry = { view, timer: setTimeout(() => this.flush(id), wait) }
          entry.timer.unref?.()
          this.trailing.set(id, entry)
        }
        return
      }
    }
    if (pending) {
      clearTimeout(pending.timer)
      this.trailing.delete(id)
    }
    this.send(view)
  }

  private flush(id: string): void {
    const pending = this.trailing.get(id)
    this.trailing.delete(id)
    if (pending) this.send(pending.view)
  }

  private send(view: FileTransfer): void {
    this.lastProgress.set(view.transferId, Date.now())
    this.ctx.emit('file.transfer', view)
    if (['done', 'declined', 'cancelled', 'failed'].includes(view.state)) {
      this.lastProgress.delete(view.transferId)
      setTimeout(() => this.transfers.delete(view.transferId), FORGET_AFTER_MS).unref?.()
    }
  }
}
