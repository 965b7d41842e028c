import type { ChatMessage, EventName, EventOf, PersonView, RoomView } from '../../shared/contract/index'

/**
 * What the shell needs to know about the meeting, from the core's events (no Electron import;
 * tested): whether we are in a call (keep the screen awake, enable the Meeting menu) and
 * which OS notifications to show while the window is not focused.
 */
export class CallActivity {
  private room: RoomView | null = null

  get inCall(): boolean {
    return this.room !== null
  }

  get current(): RoomView | null {
    return this.room
  }

  /** Start from `room.current` (the app may be started during a call in another window). */
  reset(room: RoomView | null): boolean {
    const before = this.inCall
    this.room = room
    return before !== this.inCall
  }

  /** Apply one core event; true when `inCall` changed. */
  apply<E extends EventName>(event: E, payload: EventOf<E>): boolean {
    const before = this.inCall
    if (event === 'room.updated') this.room = payload as RoomView
    else if (event === 'room.ended' && this.room && (payload as { roomId: string }).roomId === this.room.roomId) this.room = null
    return before !== this.inCall
  }
}

export interface NotificationSpec {
  title: string
  body: string
}

const MAX_BODY = 180

function who(person: PersonView): string {
  return person.verification === 'verified' && person.name ? `${person.displayName} (${person.name})` : person.displayName
}

function short(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > MAX_BODY ? `${oneLine.slice(0, MAX_BODY - 1)}…` : oneLine
}

/**
 * The OS notification for a core event, or null. Only while the window is not focused (the
 * call UI shows everything itself otherwise), never for our own chat messages, and only for
 * the room we are in.
 */
export function notificationFor<E extends EventName>(
  event: E,
  payload: EventOf<E>,
  state: { windowFocused: boolean; room: RoomView | null }
): NotificationSpec | null {
  if (state.windowFocused) return null
  const room = state.room
  if (event === 'chat.message') {
    const message = payload as ChatMessage
    if (room && message.roomId !== room.roomId) return null
    if (room && message.from.peerId === room.self.peerId) return null
    return { title: `${who(message.from)}${room?.title ? ` in ${room.title}` : ''}`, body: short(message.text) }
  }
  if (event === 'room.join-request') {
    const request = payload as EventOf<'room.join-request'>
    const unverified =
      request.person.verification === 'verified' ? '' : request.person.verification === 'guest' ? ' (guest)' : ' (identity warning)'
    return {
      title: `${who(request.person)}${unverified} asks to join`,
      body: room?.title ? `Open the app to let them into ${room.title}.` : 'Open the app to answer.'
    }
  }
  return null
}
