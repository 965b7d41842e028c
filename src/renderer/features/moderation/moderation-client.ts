import { toDymError, type DymApi, type ModerationAction, type PersonView } from '../../../shared/contract/index'

/** What a checked moderation event (`room.moderated`) asks of our app. Pure: unit-tested. */
export interface ModerationEffect {
  /** mute our microphone */
  mute: boolean
  /** show "… asks you to unmute" with an Unmute button (never unmute by ourselves) */
  askUnmute: boolean
  /** we were removed: the meeting ends for us */
  removed: boolean
  /** what to tell the user, if anything */
  toast: { text: string; tone: 'info' | 'warning' } | null
}

const NOTHING: ModerationEffect = { mute: false, askUnmute: false, removed: false, toast: null }

export function moderationEffect(selfId: string, by: PersonView, action: ModerationAction): ModerationEffect {
  const byUs = by.peerId === selfId
  const who = byUs ? 'You' : by.displayName
  switch (action.kind) {
    case 'mute':
      if (action.peerId !== selfId) return NOTHING
      return { ...NOTHING, mute: true, toast: { text: `${who} muted your microphone`, tone: 'warning' } }
    case 'mute-all':
      if (byUs) return { ...NOTHING, toast: { text: 'You muted everyone', tone: 'info' } }
      return { ...NOTHING, mute: true, toast: { text: `${who} muted everyone`, tone: 'warning' } }
    case 'ask-unmute':
      return action.peerId === selfId ? { ...NOTHING, askUnmute: true } : NOTHING
    case 'remove':
      return action.peerId === selfId ? { ...NOTHING, removed: true } : NOTHING
    case 'lock':
      return { ...NOTHING, toast: { text: `${who} ${action.locked ? 'locked' : 'unlocked'} the meeting`, tone: 'info' } }
    case 'co-host':
      if (action.peerId !== selfId) return NOTHING
      return {
        ...NOTHING,
        toast: { text: action.granted ? `${who} made you a co-host` : `${who} took back your co-host role`, tone: 'info' }
      }
  }
}

export interface ModerationSnapshot {
  /** the host (or a co-host) asks us to unmute */
  askedToUnmuteBy: PersonView | null
  /** who removed us, once they did */
  removedBy: PersonView | null
}

export interface ModerationClientOptions {
  dym: DymApi
  roomId: string
  selfId: string
  media: { setMicMuted(muted: boolean): void }
  onToast: (toast: { text: string; tone: 'info' | 'warning' | 'danger' }) => void
}

/**
 * Our side of the meeting's moderation: sends the host's commands (the core signs them and
 * refuses them from anyone else), and carries out what a checked command asks of us.
 */
export class ModerationClient {
  private snap: ModerationSnapshot = { askedToUnmuteBy: null, removedBy: null }
  private readonly listeners = new Set<() => void>()

  constructor(private readonly o: ModerationClientOptions) {}

  getSnapshot = (): ModerationSnapshot => this.snap
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Listen for the room's moderation events; returns the undo. */
  start(): () => void {
    return this.o.dym.on('room.moderated', (e) => {
      if (e.roomId === this.o.roomId) this.apply(e.by, e.action)
    })
  }

  apply(by: PersonView, action: ModerationAction): void {
    const effect = moderationEffect(this.o.selfId, by, action)
    if (effect.mute) this.o.media.setMicMuted(true)
    if (effect.mute && this.snap.askedToUnmuteBy) this.update({ askedToUnmuteBy: null })
    if (effect.askUnmute) this.update({ askedToUnmuteBy: by })
    if (effect.removed) this.update({ removedBy: by })
    if (effect.toast) this.o.onToast(effect.toast)
  }

  /** Answer "please unmute": yes unmutes, no just closes the request. */
  answerUnmute(unmute: boolean): void {
    if (unmute) this.o.media.setMicMuted(false)
    this.update({ askedToUnmuteBy: null })
  }

  /** A command of ours; a refusal (not the host, someone already gone) is told, never thrown. */
  async moderate(action: ModerationAction): Promise<boolean> {
    try {
      await this.o.dym.invoke('room.moderate', { roomId: this.o.roomId, action })
      return true
    } catch (err) {
      this.o.onToast({ text: `Could not do that: ${toDymError(err).message}`, tone: 'danger' })
      return false
    }
  }

  private update(patch: Partial<ModerationSnapshot>): void {
    this.snap = { ...this.snap, ...patch }
    for (const listener of this.listeners) listener()
  }
}
