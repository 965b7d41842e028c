import { BrowserWindow, session as sessions, shell, type Session } from 'electron'
import { isExternalLinkAllowed } from '../../shared/security/policy'
import { classifyLoginNavigation, isAcceptableLoginUrl } from '../../shared/security/login-redirect'
import { LoginWindowError, toLoginOutcome, type LoginWindowOutcome } from './login-errors'
import { denyAllPermissions } from './security'

export const LOGIN_TIMEOUT_MS = 120_000
/** In memory only (no `persist:`): nothing of the login page outlives the process. */
const LOGIN_PARTITION = 'dym-login'
/** Chromium's "navigation aborted": what our own cancel of the redirect produces. */
const ERR_ABORTED = -3

export interface LoginWindowRequest {
  /** The ThreeFold Connect login page, with state, appid, publickey and redirecturl. */
  loginUrl: string
  /** Where the login page sends the browser when done: `https://<appid><redirecturl>`. */
  redirectPrefix: string
}

const lockedDown = new WeakSet<Session>()
let open: BrowserWindow | null = null

function loginSession(): Session {
  const ses = sessions.fromPartition(LOGIN_PARTITION)
  if (!lockedDown.has(ses)) {
    // A remote page: no camera, microphone, screen, notifications or devices, ever.
    denyAllPermissions(ses)
    lockedDown.add(ses)
  }
  return ses
}

/**
 * Opens the ThreeFold Connect login page in a child window (modal to `parent`, sandboxed, no
 * preload, its own in-memory session) and resolves with the full redirect URL the page ends
 * on; that navigation is cancelled before it leaves, so the redirect target is never loaded.
 * Rejects with a LoginWindowError: 'closed' by the user, 'timeout' after 2 minutes (the phone
 * app ignores older requests anyway), 'load-failed', 'busy' (one login at a time), 'bad-url'.
 * Which navigation is ours is decided by classifyLoginNavigation (login-redirect.ts, tested).
 */
export function openLoginWindow(
  parent: BrowserWindow | null,
  request: LoginWindowRequest,
  options: { timeoutMs?: number } = {}
): Promise<string> {
  if (!isAcceptableLoginUrl(request.loginUrl)) return Promise.reject(new LoginWindowError('bad-url', 'The login URL must be an https page'))
  if (!isAcceptableLoginUrl(request.redirectPrefix))
    return Promise.reject(new LoginWindowError('bad-url', 'The redirect URL must be an https URL'))
  if (open && !open.isDestroyed()) {
    open.focus()
    return Promise.reject(new LoginWindowError('busy', 'A login window is already open'))
  }
  const ses = loginSession()
  const win = new BrowserWindow({
    ...(parent ? { parent, modal: true } : {}),
    width: 480,
    height: 760,
    title: 'Sign in with ThreeFold Connect',
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      session: ses,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick'
    }
  })
  open = win
  const contents = win.webContents

  return new Promise<string>((resolve, reject) => {
    let settled = false
    const timer = setTimeout(
      () => fail(new LoginWindowError('timeout', 'No answer within 2 minutes')),
      options.timeoutMs ?? LOGIN_TIMEOUT_MS
    )
    const end = () => {
      settled = true
      clearTimeout(timer)
      if (open === win) open = null
      if (!win.isDestroyed()) win.destroy()
      // Forget the login page's cookies and storage between sign-ins.
      void ses.clearStorageData().catch(() => undefined)
    }
    const succeed = (url: string) => {
      if (settled) return
      end()
      resolve(url)
    }
    const fail = (err: LoginWindowError) => {
      if (settled) return
      end()
      reject(err)
    }
    const decide = (url: string) => classifyLoginNavigation(url, request)

    // Renderer-initiated navigations (links, location changes, form posts) in the main frame.
    contents.on('will-navigate', (event) => {
      const verdict = decide(event.url)
      if (verdict === 'allow') return
      event.preventDefault()
      if (verdict === 'capture') succeed(event.url)
    })
    // Subframes may load pages of the login server only; the redirect itself happens on top.
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame && decide(event.url) !== 'allow') event.preventDefault()
    })
    // Server redirects (302 to the redirect URL), including one answering our own loadURL.
    contents.on('will-redirect', (event) => {
      const verdict = decide(event.url)
      if (verdict === 'allow') return
      event.preventDefault()
      if (verdict === 'capture') succeed(event.url)
    })
    // Browser-initiated navigations (history, anything the events above miss) cannot be
    // cancelled with preventDefault; stop them instead.
    contents.on('did-start-navigation', (event) => {
      if (!event.isMainFrame || event.isSameDocument || settled) return
      const verdict = decide(event.url)
      if (verdict === 'allow') return
      contents.stop()
      if (verdict === 'capture') succeed(event.url)
    })
    contents.setWindowOpenHandler(({ url }) => {
      if (decide(url) === 'capture') succeed(url)
      else if (isExternalLinkAllowed(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
      if (isMainFrame && errorCode !== ERR_ABORTED) fail(new LoginWindowError('load-failed', errorDescription || `error ${errorCode}`))
    })
    win.once('ready-to-show', () => win.show())
    win.on('closed', () => fail(new LoginWindowError('closed', 'The login window was closed')))
    contents.loadURL(request.loginUrl).catch(() => undefined)
  })
}

/**
 * The login window as the identity service's LoginWindow port (CoreOptions.loginWindow, see
 * src/main/core/identity/login-window.ts): modal to the main window when there is one.
 */
export function electronLoginWindow(parent: () => BrowserWindow | null): {
  open(request: LoginWindowRequest & { timeoutMs?: number }): Promise<LoginWindowOutcome>
} {
  return {
    open: (request) => {
      const owner = parent()
      return toLoginOutcome(
        openLoginWindow(owner && !owner.isDestroyed() ? owner : null, request, request.timeoutMs ? { timeoutMs: request.timeoutMs } : {})
      )
    }
  }
}
