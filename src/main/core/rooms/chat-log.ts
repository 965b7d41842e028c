import { appendFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { ChatMessage } from '../../../shared/contract/rooms'
import type { Logger } from '../log'

export const MAX_CHAT_HISTORY = 10_000
const MAX_LINE_CHARS = 40_000

/**
 * One room's chat, kept in `<dataDir>/rooms/<roomId>/chat.jsonl`, one message per line, in the
 * order it reached us. It remembers which message ids it has seen (so a message that arrives
 * twice is shown once) and our own last sequence number (so a rejoin continues it).
 */
export class ChatLog {
  private readonly seen = new Set<string>()
  private readonly messages: ChatMessage[] = []
  private writes: Promise<void> = Promise.resolve()
  private ownSeq = -1
  readonly file: string

  private constructor(
    dataDir: string,
    readonly roomId: string,
    private readonly selfPeerId: string,
    private readonly log: Logger
  ) {
    this.file = path.join(dataDir, 'rooms', roomId, 'chat.jsonl')
  }

  /** `create: false` reads a past room's history without making its folder. */
  static async open(
    dataDir: string,
    roomId: string,
    selfPeerId: string,
    log: Logger,
    options: { create?: boolean } = {}
  ): Promise<ChatLog> {
    const chat = new ChatLog(dataDir, roomId, selfPeerId, log)
    if (options.create !== false) await mkdir(path.dirname(chat.file), { recursive: true, mode: 0o700 })
    await chat.load()
    return chat
  }

  /** Our next sequence number in this room. */
  nextSeq(): number {
    return ++this.ownSeq
  }

  /** Add a message; false when it was seen before (it is then not stored or shown again). */
  add(message: ChatMessage): boolean {
    if (this.seen.has(dedupeKey(message))) return false
    this.remember(message)
    const line = JSON.stringify(message) + '\n'
    this.writes = this.writes
      .then(() => appendFile(this.file, line, { mode: 0o600 }))
      .catch((err: unknown) => this.log.warn('could not save a chat message', err))
    return true
  }

  history(): ChatMessage[] {
    return [...this.messages]
  }

  /** Wait for every message so far to be on disk. */
  async flush(): Promise<void> {
    await this.writes
  }

  private remember(message: ChatMessage): void {
    this.seen.add(dedupeKey(message))
    this.messages.push(message)
    if (message.from.peerId === this.selfPeerId) this.ownSeq = Math.max(this.ownSeq, message.seq)
    if (this.messages.length > MAX_CHAT_HISTORY) {
      const dropped = this.messages.shift()
      if (dropped) this.seen.delete(dedupeKey(dropped))
    }
  }

  private async load(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch {
      return
    }
    let bad = 0
    for (const line of text.split('\n')) {
      if (!line || line.length > MAX_LINE_CHARS) continue
      try {
        const parsed = ChatMessage.safeParse(JSON.parse(line))
        if (parsed.success && parsed.data.roomId === this.roomId && !this.seen.has(dedupeKey(parsed.data))) this.remember(parsed.data)
        else bad++
      } catch {
        bad++
      }
    }
    if (bad > 0) this.log.warn(`skipped ${bad} unreadable lines in ${this.file}`)
  }
}

/** Ids are chosen by their sender, so one sender cannot shadow another's message. */
function dedupeKey(message: ChatMessage): string {
  return `${message.from.peerId}/${message.id}`
}
