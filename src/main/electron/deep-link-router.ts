import { parseDeepLink } from '../../shared/deep-link'

/** The part of the core's desktop broker that receives links (see desktop-service.ts). */
export interface LinkTarget {
  offerInvite(invite: string): void
  refuseLink(reason: string): void
}

/**
 * Routes `dym:` links from the OS to the core (no Electron import; tested). Links can arrive
 * before the core is up (macOS sends `open-url` before `ready`; Windows and Linux put the link
 * in the first instance's argv): they wait here, and only the latest one is kept.
 */
export class DeepLinkRouter {
  private target: LinkTarget | null = null
  private waiting: { kind: 'join'; invite: string } | { kind: 'error'; reason: string } | null = null

  /** A URL (open-url) or a command line (argv, second-instance). True when it held a dym: link. */
  receive(input: string | readonly string[]): boolean {
    const parsed = typeof input === 'string' ? parseDeepLink(input) : parseDeepLink(input)
    if (parsed.kind === 'none') return false
    if (this.target) this.deliver(this.target, parsed)
    else this.waiting = parsed
    return true
  }

  attach(target: LinkTarget): void {
    this.target = target
    const waiting = this.waiting
    this.waiting = null
    if (waiting) this.deliver(target, waiting)
  }

  private deliver(target: LinkTarget, link: { kind: 'join'; invite: string } | { kind: 'error'; reason: string }): void {
    if (link.kind === 'join') target.offerInvite(link.invite)
    else target.refuseLink(link.reason)
  }
}
