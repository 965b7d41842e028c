import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import type { Settings } from '../../../src/shared/contract/settings'
import { writeHostSettings } from '../../support/settings'

const caller = { id: 'test' }
let core: Core | null = null
let dir = ''

afterEach(async () => {
  await core?.stop()
  core = null
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function coreWith(fileText?: string) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dym-settings-'))
  if (fileText !== undefined) writeFileSync(path.join(dir, 'settings.json'), fileText)
  const log = memoryLogger()
  core = await startCore({ dataDir: dir, hostKind: 'headless', log })
  return { core, log }
}

async function get(c: Core): Promise<Settings> {
  const res = await c.invoke('settings.get', {}, caller)
  if (!res.ok) throw new Error(res.error.message)
  return res.value as Settings
}

describe('settings', () => {
  it('a fresh data dir gets the defaults, and no file until something changes', async () => {
    const { core } = await coreWith()
    expect(await get(core)).toEqual({
      directoryUrl: 'https://login.threefold.me',
      loginUrl: 'https://login.threefold.me',
      appId: 'digitalyou.meet',
      bootstrap: [],
      relays: [],
      iceServers: [],
      iceTransportPolicy: 'all',
      videoQuality: 'medium',
      noiseSuppression: false,
      background: 'none',
      recordingsDir: null,
      downloadsDir: null,
      devices: {}
    })
    expect(existsSync(path.join(dir, 'settings.json'))).toBe(false)
  })

  it('update validates, saves atomically (0600, no temp files left), tells services and the renderer', async () => {
    const { core } = await coreWith()
    const seen: Array<[string, string]> = []
    core.settings.onChange((next, prev) => seen.push([prev.videoQuality, next.videoQuality]))
    const events: unknown[] = []
    core.onEvent((event, payload) => event === 'settings.changed' && events.push(payload))

    const res = await core.invoke(
      'settings.update',
      {
        videoQuality: 'high',
        directoryUrl: 'http://127.0.0.1:9/',
        iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'p' }]
      },
      caller
    )
    expect(res).toMatchObject({ ok: true, value: { videoQuality: 'high', directoryUrl: 'http://127.0.0.1:9' } })
    expect(core.settings.current().videoQuality).toBe('high')
    expect(seen).toEqual([['medium', 'high']])
    expect(events).toHaveLength(1)
    const file = path.join(dir, 'settings.json')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ videoQuality: 'high', directoryUrl: 'http://127.0.0.1:9' })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses invalid patches with the field named, and keeps the old settings', async () => {
    const { core } = await coreWith()
    for (const patch of [
      { videoQuality: 'ultra' },
      { directoryUrl: 'ftp://x' },
      { bootstrap: ['not-a-multiaddr'] },
      { appId: 'has space' },
      { unknownField: 1 },
      { iceServers: [{ urls: 'http://x' }] }
    ]) {
      const res = await core.invoke('settings.update', patch, caller)
      expect(res.ok, JSON.stringify(patch)).toBe(false)
      if (!res.ok) expect(res.error.code).toBe('bad-request')
    }
    expect((await get(core)).videoQuality).toBe('medium')
  })

  it('reads a file written before start (how the tests configure a host)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dym-settings-'))
    writeHostSettings(dir, { directoryUrl: 'http://127.0.0.1:1234', relays: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWxyz'] })
    core = await startCore({ dataDir: dir, hostKind: 'headless', log: memoryLogger() })
    expect(core.settings.current()).toMatchObject({
      directoryUrl: 'http://127.0.0.1:1234',
      relays: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWxyz'],
      loginUrl: 'https://login.threefold.me'
    })
  })

  it('a broken file never stops the app: defaults, a warning, and a .bad copy', async () => {
    for (const text of ['{ not json', '[1,2]', JSON.stringify({ videoQuality: 'x'.repeat(70 * 1024) })]) {
      const { core, log } = await coreWith(text)
      expect(await get(core)).toMatchObject({ videoQuality: 'medium', directoryUrl: 'https://login.threefold.me' })
      expect(log.lines.some((l) => l.includes('WARN') && l.includes('settings'))).toBe(true)
      expect(readFileSync(path.join(dir, 'settings.json.bad'), 'utf8')).toBe(text)
      await core.stop()
      rmSync(dir, { recursive: true, force: true })
    }
    core = null
  })

  it('one bad field falls back alone; the good fields are kept', async () => {
    const { core, log } = await coreWith(
      JSON.stringify({ videoQuality: 'ultra', directoryUrl: 'http://127.0.0.1:5555', futureField: true })
    )
    expect(await get(core)).toMatchObject({ videoQuality: 'medium', directoryUrl: 'http://127.0.0.1:5555' })
    expect(log.lines.find((l) => l.includes('WARN'))).toContain('videoQuality')
    expect(existsSync(path.join(dir, 'settings.json.bad'))).toBe(true)
  })
})
