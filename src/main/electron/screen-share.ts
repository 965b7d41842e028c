import { desktopCapturer, type Session } from 'electron'
import type { Logger } from '../core/log'
import type { DesktopService } from '../core/desktop/desktop-service'
import { isDisplayMediaRequestAllowed } from '../../shared/security/policy'
import { toPickSources } from './screen-sources'

const THUMBNAIL_SIZE = { width: 320, height: 180 }

/**
 * getDisplayMedia in the app page shows our own picker: list screens and windows, let the
 * renderer choose (through the core's desktop broker), grant exactly that source. System audio
 * is offered only where Electron can capture it ('loopback', Windows) and the page asked.
 */
export function handleDisplayMediaRequests(session: Session, desktop: DesktopService, log: Logger): void {
  session.setDisplayMediaRequestHandler((request, callback) => {
    let answered = false
    const answer: typeof callback = (streams) => {
      if (answered) return
      answered = true
      try {
        callback(streams)
      } catch (err) {
        // The frame went away while the picker was open.
        log.warn('display media callback failed', err)
      }
    }
    if (!isDisplayMediaRequestAllowed({ securityOrigin: request.securityOrigin, frameUrl: request.frame?.url ?? null })) {
      log.warn(`refused a screen share request from ${request.securityOrigin.slice(0, 100)}`)
      answer(null)
      return
    }
    void (async () => {
      try {
        const sources = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL_SIZE })
        const audioAvailable = request.audioRequested && process.platform === 'win32'
        const choice = await desktop.pickScreen(toPickSources(sources), audioAvailable)
        const source = choice ? sources.find((s) => s.id === choice.sourceId) : undefined
        if (!choice || !source) return answer(null)
        answer({ video: { id: source.id, name: source.name }, ...(choice.audio && audioAvailable ? { audio: 'loopback' as const } : {}) })
      } catch (err) {
        log.error('screen picker failed', err)
        answer(null)
      }
    })()
  })
}
