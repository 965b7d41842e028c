import { mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'

const caller = { id: 'test' }
let core: Core | null = null
let dir = ''

afterEach(async () => {
  await core?.stop()
  core = null
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function freshCore(): Promise<Core> {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dym-core-'))
  core = await startCore({ dataDir: path.join(dir, 'data'), hostKind: 'headless', log: memoryLogger() })
  return core
}

describe('core', () => {
  it('answers app.info with its own data dir, and makes that dir private', async () => {
    const c = await freshCore()
    const res = await c.invoke('app.info', {}, caller)
    expect(res).toMatchObject({ ok: true, value: { name: 'Digital You Meet', dataDir: path.join(dir, 'data'), hostKind: 'headless' } })
    expect(statSync(path.join(dir, 'data')).mode & 0o777).toBe(0o700)
  })

  it('turns bad requests into error envelopes and keeps serving', async () => {
    const c = await freshCore()
    expect(await c.invoke('app.info', 12, caller)).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    expect(await c.invoke('no.such', {}, caller)).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    expect(await c.invoke('app.info', { big: 'x'.repeat(200_000) }, caller)).toMatchObject({ ok: false, error: { code: 'too-large' } })
    expect(await c.invoke('app.info', {}, caller)).toMatchObject({ ok: true })
  })

  it('tells listeners its status and drops malformed events', async () => {
    const c = await freshCore()
    const seen: unknown[] = []
    c.onEvent((event, payload) => seen.push([event, payload]))
    // @ts-expect-error: deliberately malformed, as a buggy service might emit
    c.emit('core.status', { state: 'exploded' })
    c.emit('core.status', { state: 'ready', detail: 'again' })
    expect(seen).toEqual([['core.status', { state: 'ready', detail: 'again' }]])
  })
})
