import { z } from 'zod'
import { SHORTCUT_COMMANDS } from '../shortcuts'
import { method, NoParams } from './define'

/**
 * What the desktop shell tells the renderer about the OS around it: `dym://join/...` links the
 * OS opened the app with, and application-menu commands. The headless host never emits these;
 * its `app.pending-invite` is always null.
 */
export const InviteLink = z.string().min(1).max(4096)

export const desktopMethods = {
  /**
   * The invite link the app was opened with, if one is waiting, and forget it (so a reload
   * does not open it twice). A link can arrive before the window exists; the renderer asks
   * once at startup and listens to `app.open-invite` after that.
   */
  'app.pending-invite': method(NoParams, z.object({ invite: InviteLink.nullable() }))
}

export const desktopEvents = {
  /** A `dym://join/...` link was opened while the app runs: show the pre-join screen for it. */
  'app.open-invite': z.object({ invite: InviteLink }),
  /** A `dym:` link was opened but is not a valid invite link; the reason is shown as is. */
  'app.link-refused': z.object({ reason: z.string().max(300) }),
  /** The user picked a shortcut command from the application menu (or pressed its keys). */
  'app.menu-command': z.object({ command: z.enum(SHORTCUT_COMMANDS) })
}
