import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import { createIpcInvokeHandler, isTrustedIpcSender } from '../../../src/main/electron/ipc-handler'

// The Electron IPC code path, without Electron: the same handler ipcMain.handle runs.
let core: Core
let dir: string
const trustedIds = new Set([1])
const event = (id: number) => ({ sender: { id } })

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dym-ipc-'))
  core = await startCore({ dataDir: dir, hostKind: 'electron', log: memoryLogger() })
})
afterAll(async () => {
  await core.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('IPC invoke handler', () => {
  const handler = () => createIpcInvokeHandler(core, (e: { sender: { id: number } }) => trustedIds.has(e.sender.id))

  it('serves a trusted window', async () => {
    expect(await handler()(event(1), 'app.info', {})).toMatchObject({ ok: true, value: { hostKind: 'electron', dataDir: dir } })
  })

  it('refuses an unknown sender before looking at the request', async () => {
    expect(await handler()(event(99), 'app.info', {})).toMatchObject({ ok: false, error: { code: 'denied' } })
  })

  it('rejects wrong types, unknown methods and oversize payloads, then keeps serving', async () => {
    const h = handler()
    expect(await h(event(1), 'app.info', [1, 2])).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    expect(await h(event(1), 42, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    expect(await h(event(1), 'app.info', { blob: new Uint8Array(1_000_000) })).toMatchObject({ ok: false, error: { code: 'too-large' } })
    expect(await h(event(1), 'app.info', {})).toMatchObject({ ok: true })
  })
})

describe('IPC sender check', () => {
  it.each<[string, number, { url: string; isMainFrame: boolean } | null, boolean]>([
    ['our window, main frame, our page', 1, { url: 'app://dym/index.html', isMainFrame: true }, true],
    ['another window (the login window)', 2, { url: 'app://dym/index.html', isMainFrame: true }, false],
    ['a subframe of our window', 1, { url: 'app://dym/index.html', isMainFrame: false }, false],
    ['our window after navigating elsewhere', 1, { url: 'https://login.threefold.me/', isMainFrame: true }, false],
    ['a frame that is gone', 1, null, false],
    ['a look-alike origin', 1, { url: 'app://dym.evil/', isMainFrame: true }, false]
  ])('%s -> %s', (_what, senderId, frame, trusted) => {
    expect(isTrustedIpcSender(senderId, frame, [1])).toBe(trusted)
  })
})
