import type { JoinedMeeting, JoinIntent } from '../call/meeting-join'

/**
 * Where a screen asks the app to go next. Screens never import each other: they name the next
 * screen here and the app's router (app/router.ts) decides what is shown.
 */
export type Navigate =
  | { to: 'home' }
  | { to: 'prejoin'; intent: JoinIntent }
  | { to: 'meeting'; meeting: JoinedMeeting }
  | { to: 'left'; title: string; intent: JoinIntent; reason?: string; removed?: boolean }
  | { to: 'settings' }
  | { to: 'recordings' }
  | { to: 'profile' }
  | { to: 'back' }
