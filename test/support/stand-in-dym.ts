import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { readStaticFile } from '../../src/main/host/static-files'
import { contentSecurityPolicy } from '../../src/shared/security/csp'
import { REPO_ROOT } from './host-process'

/**
 * The built renderer served over plain HTTP with the app's CSP, and a stand-in `window.dym`
 * injected before any script runs: what the Electron preload gives the page, minus the main
 * process. Tests emit desktop events (screen picker, invite links, menu commands) with `emit`
 * and read what the renderer invoked with `calls`. Used where the real shell cannot run.
 */
export interface StandInOptions {
  hostKind: 'electron' | 'headless'
  pendingInvite?: string | null
}

export async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  const root = path.join(REPO_ROOT, 'out', 'renderer')
  const server: Server = createServer((req, res) => {
    void readStaticFile(root, req.url ?? '/').then((file) => {
      if (!file) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': file.contentType, 'content-security-policy': contentSecurityPolicy() })
      res.end(file.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

export async function installStandInDym(page: Page, options: StandInOptions): Promise<void> {
  await page.addInitScript((opts: StandInOptions) => {
    type Listener = (payload: unknown) => void
    const listeners = new Map<string, Set<Listener>>()
    const state = { calls: [] as Array<[string, unknown]>, pendingInvite: opts.pendingInvite ?? null }
    const g = globalThis as unknown as Record<string, unknown>
    g.__standIn = {
      state,
      emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload))
    }
    g.dym = {
      invoke: async (method: string, request: unknown) => {
        state.calls.push([method, request])
        if (method === 'app.info')
          return { name: 'Digital You Meet', version: '0.1.0', dataDir: '/stand-in', hostKind: opts.hostKind, platform: 'linux-x64' }
        if (method === 'core.status') return { state: 'ready' }
        // Someone is signed in, so the app shows its signed-in screens (home, pre-join).
        if (method === 'identity.current') {
          const person = {
            peerId: '12D3KooWStandInStandInStandIn',
            displayName: 'Stand-in guest',
            verification: 'guest',
            fingerprint: 'ab12 cd34'
          }
          return { signedIn: true, via: 'guest', person, publicKey: 'AAAA', signedInAt: 0 }
        }
        if (method === 'app.pending-invite') {
          const invite = state.pendingInvite
          state.pendingInvite = null
          return { invite }
        }
        if (method === 'screen.pick') return { ok: true }
        throw { name: 'DymError', code: 'unavailable', message: `${method} is not available in the stand-in` }
      },
      on: (event: string, listener: Listener) => {
        let set = listeners.get(event)
        if (!set) listeners.set(event, (set = new Set()))
        set.add(listener)
        return () => set.delete(listener)
      }
    }
  }, options)
}

export async function emit(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(
    ([e, p]) => (globalThis as unknown as { __standIn: { emit: (e: string, p: unknown) => void } }).__standIn.emit(e, p),
    [event, payload] as const
  )
}

export async function calls(page: Page, method?: string): Promise<Array<[string, unknown]>> {
  const all = await page.evaluate(
    () => (globalThis as unknown as { __standIn: { state: { calls: Array<[string, unknown]> } } }).__standIn.state.calls
  )
  return method ? all.filter(([m]) => m === method) : all
}
