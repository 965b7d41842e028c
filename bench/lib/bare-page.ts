import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { chromium, type Browser } from 'playwright-core'
import WebSocket from 'ws'
import { makeTempDir, removeDir } from '../../test/support/host-process'
import { CHROMIUM_ARGS, findChromium } from '../../test/support/chromium'
import { cpuSecondsOf, processesMatching } from './process-cpu'
import { cpuSecondsByThread } from './thread-cpu'

/**
 * A Chromium whose page the benchmark can let go of. Playwright keeps a DevTools session on
 * every page with the Network domain on, so every message the page sends on its socket to the
 * core is also copied, base64-encoded, through Chromium's browser process to Playwright: about
 * 0.4 cpu-s/min on the browser's main thread and more on the page's for the recording's
 * traffic, which an app with no DevTools attached does not have. So a page whose CPU is the
 * measure is set up with Playwright (clicks, joins), then Playwright disconnects, and the
 * measured part drives it over a DevTools connection of our own that only evaluates scripts
 * (`BarePage`): no domain is enabled, nothing is relayed.
 */
export interface DetachableChromium {
  /** Playwright's connection; pages must be opened in `browser.contexts()[0]` to outlive `detach` */
  browser: Browser
  /** Playwright lets go of the browser; the browser and its pages run on. */
  detach(): Promise<void>
  /** a connection to one page (its URL starts with `url`) that only evaluates scripts */
  page(url: string): Promise<BarePage>
  cpuSeconds: () => number
  cpuByThread: () => Record<string, number>
  owns: (cmdline: string) => boolean
  /** its profile, removed by `close` */
  profileDir: string
  close(): Promise<void>
}

const STARTUP_MS = 30_000

export async function launchDetachableChromium(viewport: { width: number; height: number }): Promise<DetachableChromium> {
  const profile = makeTempDir('dym-bench-chromium-')
  const args = [
    ...CHROMIUM_ARGS,
    '--headless',
    '--mute-audio',
    '--hide-scrollbars',
    '--disable-dev-shm-usage',
    '--disable-extensions',
    '--disable-default-apps',
    '--no-default-browser-check',
    `--window-size=${viewport.width},${viewport.height}`,
    `--user-data-dir=${profile}`,
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    'about:blank'
  ]
  const child = spawn(findChromium(), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const endpoint = await devtoolsEndpoint(child)
  const browser = await chromium.connectOverCDP(endpoint)
  const owns = (cmd: string) => cmd.includes(profile)
  const pages: BarePage[] = []
  return {
    browser,
    detach: () => browser.close(),
    page: async (url) => {
      const page = await BarePage.attach(endpoint, url)
      pages.push(page)
      return page
    },
    cpuSeconds: () => cpuSecondsOf(owns),
    cpuByThread: () => cpuSecondsByThread(owns),
    owns,
    profileDir: profile,
    close: async () => {
      for (const p of pages) p.close()
      await browser.close().catch(() => undefined)
      await endChromium(child, owns)
      removeDir(profile)
    }
  }
}

const CLOSE_MS = 10_000

/** Asks Chromium to quit (it ends its renderers and helpers), then makes sure nothing of it runs on. */
async function endChromium(child: ChildProcess, owns: (cmd: string) => boolean): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve))
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_MS)
    await exited
    clearTimeout(timer)
  }
  const until = performance.now() + CLOSE_MS
  while (processesMatching(owns).length > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 50))
  for (const { pid } of processesMatching(owns)) {
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // it ended meanwhile
    }
  }
}

/** Chromium prints its DevTools address on stderr once it listens (the lines are read to the end, so its stderr never fills). */
function devtoolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! })
    const timer = setTimeout(() => fail(new Error(`Chromium did not open DevTools within ${STARTUP_MS} ms`)), STARTUP_MS)
    const fail = (err: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(err)
    }
    child.once('exit', (code) => fail(new Error(`Chromium exited (${String(code)}) before it opened DevTools`)))
    lines.on('line', (line) => {
      const ws = /DevTools listening on (ws:\/\/\S+)/.exec(line)?.[1]
      if (!ws) return
      clearTimeout(timer)
      resolve(ws)
    })
  })
}

type Reply = { id: number; result?: unknown; error?: { message: string } }

/** One page, driven by evaluating scripts in it: `Runtime.evaluate` only, no domain enabled. */
export class BarePage {
  private nextId = 1
  private readonly waiting = new Map<number, (reply: Reply) => void>()

  private session = ''

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as Reply
      this.waiting.get(reply.id)?.(reply)
      this.waiting.delete(reply.id)
    })
    socket.on('close', () => {
      for (const answer of this.waiting.values()) answer({ id: 0, error: { message: 'the DevTools connection closed' } })
      this.waiting.clear()
    })
  }

  static async attach(endpoint: string, url: string): Promise<BarePage> {
    const socket = new WebSocket(endpoint, { perMessageDeflate: false })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    const page = new BarePage(socket)
    const { targetInfos } = await page.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets')
    const target = targetInfos.find((t) => t.type === 'page' && t.url.startsWith(url))
    if (!target) throw new Error(`no page at ${url}`)
    const { sessionId } = await page.send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true })
    page.session = sessionId
    return page
  }

  /** The value of a script (awaited if it is a promise), as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const out = await this.send<{ result: { value?: T }; exceptionDetails?: { exception?: { description?: string }; text: string } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true }
    )
    if (out.exceptionDetails) throw new Error(out.exceptionDetails.exception?.description ?? out.exceptionDetails.text)
    return out.result.value as T
  }

  /** Until the script's value is true: polled, a real state of the page. */
  async waitFor(expression: string, timeoutMs: number, what = expression): Promise<void> {
    const until = performance.now() + timeoutMs
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`))) {
      if (performance.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  close(): void {
    this.socket.close()
  }

  private send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++
    const message = { id, method, params, ...(this.session ? { sessionId: this.session } : {}) }
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result as T)))
      this.socket.send(JSON.stringify(message))
    })
  }
}
