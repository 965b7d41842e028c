import { randomBytes } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import { base64urlnopad } from '@scure/base'
import { DymError } from '../../../shared/contract/errors'
import type { PersonView } from '../../../shared/contract/people'
import type { ModerationAction } from '../../../shared/contract/rooms'
import { ROOM_KEY_BYTES } from '../../../shared/invite'
import type { Logger } from '../log'
import type { ModerateFrame, RekeyFrame, RoomFacts, RoomSession } from '../p2p/protocols/room/index'
import type { Emit } from '../service'
import { ModerationState, signModeration, signRekey, type Sign } from './moderation'

/** What moderating needs of the meeting: who is who, its sessions, and the intents that change it. */
export interface ModeratedMeeting {
  readonly roomId: string
  readonly selfId: string
  readonly wireId: string
  /** every id the meeting has had on the wire, newest first */
  wireIdsLatestFirst(): string[]
  personOf(peerId: string): PersonView | null
  liveSessions(): RoomSession[]
  /** Out of the meeting: its session closed, shown as removed. */
  removeMember(peerId: string): void
  /**
   * The room key is replaced (everyone but the removed moves to it). `byUs`: we replaced it (we
   * are the host); else a member's signed frame told us.
   */
  rekey(key: Uint8Array, byUs: boolean): void
  /** We were removed: leave, with this reason. */
  removedUs(reason: string): void
  /** The co-hosts changed (to these). */
  coHostsChanged(coHosts: readonly string[]): void
  changed(): void
}

export interface ModerationPorts {
  emit: Emit
  sign: Sign
  log: Logger
}

/**
 * The host's and co-hosts' commands: ours, signed and sent to every member, and theirs, checked
 * (see ModerationState.check) and applied. Removing someone replaces the room key first, on each
 * remaining member's own session, so the old invite no longer lets the removed person back in.
 */
export class MeetingModeration {
  readonly state: ModerationState

  constructor(
    private readonly meeting: ModeratedMeeting,
    host: () => string,
    private readonly ports: ModerationPorts
  ) {
    this.state = new ModerationState(host)
  }

  /** What the member that welcomed us knows of moderation: co-hosts, who was removed, the lock. */
  learn(facts: Pick<RoomFacts, 'coHosts' | 'removed' | 'locked'>): void {
    for (const id of facts.coHosts ?? []) this.state.coHosts.add(id)
    for (const id of facts.removed ?? []) this.state.removed.set(id, true)
    this.state.locked = facts.locked ?? false
  }

  /** The same, for a newcomer we welcome (bounded: the welcome has a size limit). */
  tell(): Required<Pick<RoomFacts, 'coHosts' | 'removed' | 'locked'>> {
    return {
      coHosts: [...this.state.coHosts].slice(0, 50),
      locked: this.state.locked,
      removed: [...this.state.removed.keys()].slice(-200)
    }
  }

  /** Our own command; `denied` when we may not, `not-found` for someone not in the meeting. */
  async moderate(action: ModerationAction): Promise<void> {
    const m = this.meeting
    if (!this.state.mayModerate(m.selfId)) throw new DymError('denied', 'Only the host or a co-host can do that')
    if (action.kind === 'co-host' && !this.state.isHost(m.selfId)) throw new DymError('denied', 'Only the host can make co-hosts')
    if ('peerId' in action) {
      if (action.peerId === m.selfId) throw new DymError('bad-request', 'That is you')
      if (!m.personOf(action.peerId)) throw new DymError('not-found', 'That person is not in this meeting')
      if (action.kind === 'remove' && this.state.isHost(action.peerId)) throw new DymError('denied', 'The host cannot be removed')
    }
    // Signed for the id everyone (the removed one too) has before the key is replaced.
    const frame = await signModeration(this.ports.sign, m.wireId, m.selfId, action)
    if (action.kind === 'remove') await this.replaceKey(action.peerId)
    await Promise.allSettled(m.liveSessions().map((s) => s.send(frame)))
    this.apply(m.selfId, action)
  }

  /** A member's signed command or new key: applied when it holds, else dropped (and logged). */
  async received(from: PeerId, frame: ModerateFrame | RekeyFrame): Promise<void> {
    const why = await this.state.check(frame, from, this.meeting.wireIdsLatestFirst())
    if (why) {
      this.ports.log.warn(`refused a moderation frame from ${from.toString().slice(-8)}: ${why}`)
      return
    }
    if (frame.t === 'rekey') this.meeting.rekey(base64urlnopad.decode(frame.key), false)
    else this.apply(frame.by, frame.action)
  }

  /** A new key for everyone but `removed`, each on its own session (Noise-encrypted to them alone). */
  private async replaceKey(removed: string): Promise<void> {
    const m = this.meeting
    const key = new Uint8Array(randomBytes(ROOM_KEY_BYTES))
    const frame = await signRekey(this.ports.sign, m.wireId, m.selfId, key)
    const others = m.liveSessions().filter((s) => s.peer.toString() !== removed)
    await Promise.allSettled(others.map((s) => s.send(frame)))
    m.rekey(key, true)
  }

  private apply(by: string, action: ModerationAction): void {
    const m = this.meeting
    const person = m.personOf(by)
    if (!person) return
    switch (action.kind) {
      case 'remove':
        this.state.removed.set(action.peerId, true)
        if (action.peerId === m.selfId) {
          this.ports.emit('room.moderated', { roomId: m.roomId, by: person, action })
          m.removedUs(`${person.displayName} removed you from this meeting`)
          return
        }
        m.removeMember(action.peerId)
        break
      case 'lock':
        this.state.locked = action.locked
        break
      case 'co-host':
        if (action.granted) this.state.coHosts.add(action.peerId)
        else this.state.coHosts.delete(action.peerId)
        m.coHostsChanged([...this.state.coHosts])
        break
      default:
        // mute, ask-unmute, mute-all: the app of whoever they concern acts on the event.
        break
    }
    m.changed()
    this.ports.emit('room.moderated', { roomId: m.roomId, by: person, action })
  }
}
