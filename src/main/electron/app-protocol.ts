import { protocol } from 'electron'
import { contentSecurityPolicy } from '../../shared/security/csp'
import { APP_HOST, APP_SCHEME } from '../../shared/security/policy'
import { readStaticFile } from '../host/static-files'

/** Must run before the app is ready: app:// behaves like https (secure context, fetch, media). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }
  ])
}

/** Serves the built renderer at app://dym/ with the CSP header. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 })
    const url = new URL(request.url)
    const file = url.host === APP_HOST ? await readStaticFile(rendererDir, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      headers: {
        'content-type': file.contentType,
        'content-security-policy': contentSecurityPolicy(),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin'
      }
    })
  })
}
