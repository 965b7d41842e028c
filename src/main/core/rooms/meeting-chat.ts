import { randomBytes } from 'node:crypto'
import { RateLimiter } from '@libp2p/utils'
import { base64urlnopad } from '@scure/base'
import type { PersonView } from '../../../shared/contract/people'
import type { ChatMessage } from '../../../shared/contract/rooms'
import type { ChatFrame } from '../p2p/protocols/room/index'
import type { ChatLog } from './chat-log'
import { CHAT_LIMIT } from './tuning'

/** One meeting's chat: its history on disk, and the rates it is sent and taken at. */
export class MeetingChat {
  private readonly inbound = new RateLimiter({ points: CHAT_LIMIT.receive.points, duration: CHAT_LIMIT.receive.seconds })
  private readonly outbound = new RateLimiter({ points: CHAT_LIMIT.send.points, duration: CHAT_LIMIT.send.seconds })

  constructor(
    readonly log: ChatLog,
    private readonly roomId: string
  ) {}

  /** A member's message: to show, `null` if it was seen before, `'flood'` if the member is over its rate. */
  received(from: PersonView, frame: ChatFrame): ChatMessage | null | 'flood' {
    try {
      this.inbound.consume(from.peerId)
    } catch {
      return 'flood'
    }
    const message = { id: frame.id, roomId: this.roomId, from, text: frame.text, sentAt: frame.sentAt, seq: frame.seq }
    return this.log.add(message) ? message : null
  }

  /** Our message, stored and numbered; null when we send faster than others will accept. */
  compose(from: PersonView, text: string): ChatMessage | null {
    try {
      this.outbound.consume(this.roomId)
    } catch {
      return null
    }
    const id = base64urlnopad.encode(randomBytes(12))
    const message: ChatMessage = { id, roomId: this.roomId, from, text, sentAt: Date.now(), seq: this.log.nextSeq() }
    this.log.add(message)
    return message
  }
}
