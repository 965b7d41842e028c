import type { JoinedMeeting, JoinIntent } from '../features/call/meeting-join'
import type { Navigate } from '../features/navigation/navigate'

/**
 * The app's screens as a small state machine (no URL routing: the window never navigates).
 * Each screen carries what it needs; `back` lets side screens return where they came from.
 */
export type Screen =
  | { name: 'home' }
  | { name: 'prejoin'; intent: JoinIntent }
  | { name: 'meeting'; meeting: JoinedMeeting }
  | { name: 'left'; title: string; intent: JoinIntent; reason?: string; removed?: boolean }
  | { name: 'settings'; back: Screen }
  | { name: 'recordings'; back: Screen }
  | { name: 'profile'; back: Screen }

export function navigate(current: Screen, action: Navigate): Screen {
  switch (action.to) {
    case 'home':
      return { name: 'home' }
    case 'prejoin':
      return { name: 'prejoin', intent: action.intent }
    case 'meeting':
      return { name: 'meeting', meeting: action.meeting }
    case 'left':
      return { name: 'left', title: action.title, intent: action.intent, reason: action.reason, removed: action.removed }
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

type SideScreen = Extract<Screen, { back: Screen }>
function isSideScreen(screen: Screen): screen is SideScreen {
  return screen.name === 'settings' || screen.name === 'recordings' || screen.name === 'profile'
}
