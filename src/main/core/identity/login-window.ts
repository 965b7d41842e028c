/**
 * What the core needs from a host to run a ThreeFold Connect login in a window of its own.
 * The Electron shell implements it (a child window that opens `loginUrl` and catches the
 * navigation to `redirectPrefix` in `will-redirect`/`will-navigate`, then cancels it and
 * closes); the headless host has none, so the flow is refused there with a clear message.
 */
export interface LoginWindow {
  open(request: LoginWindowRequest): Promise<LoginWindowResult>
}

export interface LoginWindowRequest {
  loginUrl: string
  /** The first navigation whose URL starts with this carries the answer; it must not load. */
  redirectPrefix: string
  /** Give up (and close the window) after this long. */
  timeoutMs: number
}

export type LoginWindowResult =
  | { kind: 'redirect'; url: string }
  /** the person closed the window */
  | { kind: 'closed' }
  | { kind: 'timeout' }
