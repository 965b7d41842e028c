import type { ChatMessage, DymApi } from '../../../shared/contract/index'
import { FileTransferStore } from './file-transfers'

export interface ChatState {
  messages: readonly ChatMessage[]
  unread: number
  open: boolean
  loaded: boolean
  error: string | null
}

const MAX_KEPT = 2000

/**
 * The meeting chat as the room protocol carries it: history once (from the core, which keeps it
 * per room on disk), then every chat.message event. De-duplicated by id (history and live events
 * overlap), ordered by the sender's clock then sequence, and counted as unread while the panel
 * is closed.
 */
export class ChatStore {
  private state: ChatState = { messages: [], unread: 0, open: false, loaded: false, error: null }
  private readonly listeners = new Set<() => void>()
  private readonly seen = new Set<string>()
  private unsubscribe: (() => void) | null = null
  /** Files sent in this chat: they come and go with it. */
  readonly files: FileTransferStore

  constructor(
    private readonly dym: DymApi,
    private readonly roomId: string,
    private readonly selfId: string
  ) {
    this.files = new FileTransferStore(dym, roomId, () => {
      if (!this.state.open) this.update({ unread: this.state.unread + 1 })
    })
  }

  getSnapshot = (): ChatState => this.state
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  start(): void {
    if (this.unsubscribe) return
    this.unsubscribe = this.dym.on('chat.message', (message) => {
      if (message.roomId !== this.roomId) return
      const fresh = this.add([message])
      if (fresh > 0 && !this.state.open && message.from.peerId !== this.selfId) this.update({ unread: this.state.unread + fresh })
    })
    this.files.start()
    void this.loadHistory()
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    this.files.stop()
  }

  setOpen(open: boolean): void {
    this.update({ open, unread: open ? 0 : this.state.unread })
  }

  async send(text: string): Promise<void> {
    const trimmed = text.trim()
    if (trimmed === '') return
    const message = await this.dym.invoke('chat.send', { roomId: this.roomId, text: trimmed.slice(0, 4000) })
    this.add([message])
  }

  private async loadHistory(): Promise<void> {
    try {
      const history = await this.dym.invoke('chat.history', { roomId: this.roomId })
      this.add(history)
      this.update({ loaded: true, error: null })
    } catch (err) {
      this.update({ loaded: true, error: err instanceof Error ? err.message : String(err) })
    }
  }

  /** Add what we have not seen yet; returns how many were new. */
  private add(messages: readonly ChatMessage[]): number {
    const fresh = messages.filter((m) => !this.seen.has(m.id))
    if (fresh.length === 0) return 0
    for (const m of fresh) this.seen.add(m.id)
    const all = [...this.state.messages, ...fresh].sort((a, b) => a.sentAt - b.sentAt || a.seq - b.seq).slice(-MAX_KEPT)
    this.update({ messages: all })
    return fresh.length
  }

  private update(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener()
  }
}
