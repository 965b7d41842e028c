import type { ScreenSource } from '../../../shared/contract/index'
import type { ShortcutCommand } from '../../../shared/shortcuts'
import type { Service, ServiceContext } from '../service'
import { ScreenPickBroker, type ScreenChoice } from './screen-pick-broker'

/**
 * The core's side of desktop integration: a small broker the Electron shell plugs into, so the
 * core never imports Electron and the renderer still talks only to the core.
 * - the shell reports `dym://join/...` links (`offerInvite`, `refuseLink`); the renderer takes a
 *   waiting one with `app.pending-invite` and hears later ones as `app.open-invite`
 * - the shell asks for a screen choice (`pickScreen`); the renderer answers with `screen.pick`
 * - the shell forwards menu commands (`menuCommand`) as `app.menu-command`
 * (The ThreeFold Connect login window is the identity service's own port, CoreOptions.loginWindow.)
 */
export interface DesktopService extends Service<'app.pending-invite' | 'screen.pick'> {
  offerInvite(invite: string): void
  refuseLink(reason: string): void
  pickScreen(sources: readonly ScreenSource[], audioAvailable: boolean): Promise<ScreenChoice | null>
  menuCommand(command: ShortcutCommand): void
}

export function createDesktopService(
  context: Pick<ServiceContext, 'emit' | 'log'>,
  options: { pickTimeoutMs?: number } = {}
): DesktopService {
  const broker = new ScreenPickBroker({ emit: context.emit, ...(options.pickTimeoutMs ? { timeoutMs: options.pickTimeoutMs } : {}) })
  let pendingInvite: string | null = null

  return {
    name: 'desktop',
    handlers: {
      'app.pending-invite': () => {
        const invite = pendingInvite
        pendingInvite = null
        return { invite }
      },
      'screen.pick': (request) => {
        broker.answer(request.requestId, request.sourceId, request.audio)
        return { ok: true as const }
      }
    },
    offerInvite(invite) {
      // Kept until the renderer takes it: the window may not exist yet.
      pendingInvite = invite
      context.emit('app.open-invite', { invite })
    },
    refuseLink(reason) {
      context.log.warn(`refused a dym: link: ${reason}`)
      context.emit('app.link-refused', { reason })
    },
    pickScreen: (sources, audioAvailable) => broker.request(sources, audioAvailable),
    menuCommand: (command) => context.emit('app.menu-command', { command }),
    async stop() {
      broker.cancelAll()
    }
  }
}
