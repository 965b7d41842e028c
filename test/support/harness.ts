import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from './chromium'
import { makeTempDir, removeDir, startHost, type HostProcess, type StartHostOptions } from './host-process'

export interface Peer {
  readonly host: HostProcess
  readonly context: BrowserContext
  readonly page: Page
  /** Every console error and page error the renderer produced. */
  readonly pageErrors: string[]
  /** The last console lines of the page, time-stamped (the call logs `[mesh] ...` with `dym.debug`): for failure messages. */
  readonly consoleLines: string[]
}

const CONSOLE_LINES_KEPT = 400

/**
 * N headless hosts and N Chromium pages (fake camera and mic, one fresh browser context each),
 * all torn down by `close()` even when the test failed half way. Every end-to-end test uses it.
 */
export class Harness {
  /** One browser for all pages, launched once even when several peers are added at the same moment. */
  private browser: Promise<Browser> | null = null
  private readonly peers: Peer[] = []
  private readonly hosts: HostProcess[] = []
  private readonly dirs: string[] = []

  async chromium(): Promise<Browser> {
    this.browser ??= launchChromium()
    return this.browser
  }

  /** A data dir that is removed at close. */
  tempDir(prefix?: string): string {
    const dir = makeTempDir(prefix)
    this.dirs.push(dir)
    return dir
  }

  async startHost(options: StartHostOptions = {}): Promise<HostProcess> {
    const host = await startHost({ dataDir: options.dataDir ?? this.tempDir('dym-host-'), ...options })
    this.hosts.push(host)
    return host
  }

  /**
   * Open a page on a host (a new one unless given) and wait for the app shell. In the shared
   * browser, unless `browser` is given (the NAT lab: one per network namespace; its owner closes it).
   */
  async addPeer(options: StartHostOptions & { host?: HostProcess; browser?: Browser } = {}): Promise<Peer> {
    const host = options.host ?? (await this.startHost(options))
    const browser = options.browser ?? (await this.chromium())
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.grantPermissions(['camera', 'microphone'], { origin: host.origin })
    const page = await context.newPage()
    const pageErrors: string[] = []
    const consoleLines: string[] = []
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text())
      consoleLines.push(`${new Date().toISOString().slice(11, 23)} ${msg.type()}: ${msg.text()}`)
      if (consoleLines.length > CONSOLE_LINES_KEPT) consoleLines.shift()
    })
    await page.goto(host.url)
    const peer = { host, context, page, pageErrors, consoleLines }
    this.peers.push(peer)
    return peer
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled([...this.peers.map((p) => p.context.close()), ...this.hosts.map((h) => h.stop())])
    await this.browser?.then((b) => b.close()).catch(() => undefined)
    for (const dir of this.dirs) removeDir(dir)
    const failed = results.filter((r) => r.status === 'rejected')
    if (failed.length > 0) console.warn(`harness: ${failed.length} teardown steps failed`)
  }
}
