import type { RoomRules, RoomView } from '../../shared/contract/index'
import type { LocalMedia } from '../features/media/local-media'

/**
 * The app's screens as a small state machine (no URL routing: the window never navigates).
 * Each screen carries what it needs; `back` lets side screens return where they came from.
 */
export type JoinIntent = { kind: 'create'; title: string; rules: RoomRules } | { kind: 'join'; invite: string; title?: string }

export type Screen =
  | { name: 'home' }
  | { name: 'prejoin'; intent: JoinIntent }
  | { name: 'meeting'; room: RoomView; media: LocalMedia; intent: JoinIntent }
  | { name: 'left'; title: string; intent: JoinIntent; reason?: string }
  | { name: 'settings'; back: Screen }
  | { name: 'recordings'; back: Screen }
  | { name: 'profile'; back: Screen }

export type Navigate =
  | { to: 'home' }
  | { to: 'prejoin'; intent: JoinIntent }
  | { to: 'meeting'; room: RoomView; media: LocalMedia; intent: JoinIntent }
  | { to: 'left'; title: string; intent: JoinIntent; reason?: string }
  | { to: 'settings' }
  | { to: 'recordings' }
  | { to: 'profile' }
  | { to: 'back' }

export function navigate(current: Screen, action: Navigate): Screen {
  switch (action.to) {
    case 'home':
      return { name: 'home' }
    case 'prejoin':
      return { name: 'prejoin', intent: action.intent }
    case 'meeting':
      return { name: 'meeting', room: action.room, media: action.media, intent: action.intent }
    case 'left':
      return { name: 'left', title: action.title, intent: action.intent, reason: action.reason }
    case 'settings':
    case 'recordings':
    case 'profile':
      // Never leave a running meeting for a side screen; the meeting has its own panels.
      if (current.name === 'meeting') return current
      return { name: action.to, back: isSideScreen(current) ? current.back : current }
    case 'back':
      return isSideScreen(current) ? current.back : { name: 'home' }
  }
}

/** After a rejoin from the "left" screen the invite is what we join with, whatever created the room. */
export function rejoinIntent(room: RoomView): JoinIntent {
  return { kind: 'join', invite: room.invite, title: room.title }
}

type SideScreen = Extract<Screen, { back: Screen }>
function isSideScreen(screen: Screen): screen is SideScreen {
  return screen.name === 'settings' || screen.name === 'recordings' || screen.name === 'profile'
}
