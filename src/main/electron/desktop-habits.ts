import { Notification, powerSaveBlocker, type BrowserWindow } from 'electron'
import type { Core } from '../core/core'
import type { RoomView } from '../../shared/contract/index'
import { setMenuInCall } from './app-menu'
import { CallActivity, notificationFor } from './call-activity'

const RECHECK_MS = 60_000

/**
 * What a desktop app does around a call: keeps the display awake while we are in a meeting,
 * enables the Meeting menu, and shows OS notifications for chat and join requests while the
 * window is not focused. Everything is driven by the core's events (see call-activity.ts).
 */
export function followCallActivity(core: Core, mainWindow: () => BrowserWindow | null): () => void {
  const activity = new CallActivity()
  let blocker: number | null = null
  let recheck: NodeJS.Timeout | undefined

  const applyInCall = () => {
    setMenuInCall(activity.inCall)
    if (activity.inCall && blocker === null) {
      blocker = powerSaveBlocker.start('prevent-display-sleep')
      // A missed room.ended must not keep the screen awake forever: ask the core now and then.
      recheck = setInterval(() => void refresh(), RECHECK_MS)
    } else if (!activity.inCall && blocker !== null) {
      powerSaveBlocker.stop(blocker)
      blocker = null
      clearInterval(recheck)
    }
  }

  const refresh = async () => {
    const current = await core.invoke('room.current', {}, { id: 'shell' })
    if (activity.reset(current.ok ? (current.value as RoomView | null) : null)) applyInCall()
  }

  const unsubscribe = core.onEvent((event, payload) => {
    if (activity.apply(event, payload)) applyInCall()
    const win = mainWindow()
    const spec = notificationFor(event, payload, { windowFocused: win?.isFocused() ?? false, room: activity.current })
    if (!spec || !Notification.isSupported()) return
    const notification = new Notification({ title: spec.title, body: spec.body })
    notification.on('click', () => {
      const w = mainWindow()
      if (!w) return
      if (w.isMinimized()) w.restore()
      w.show()
      w.focus()
    })
    notification.show()
  })
  void refresh()

  return () => {
    unsubscribe()
    clearInterval(recheck)
    if (blocker !== null) powerSaveBlocker.stop(blocker)
    blocker = null
  }
}
