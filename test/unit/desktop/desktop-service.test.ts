import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventName, ScreenSource } from '../../../src/shared/contract/index'
import { Core } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import { ScreenPickBroker } from '../../../src/main/core/desktop/screen-pick-broker'

// The desktop broker through the real core: requests are validated by the contract exactly
// as when the renderer sends them over IPC.
let core: Core
let dir: string
let seen: Array<{ event: EventName; payload: unknown }>
const caller = { id: 'ipc:1' }
const sources: ScreenSource[] = [
  { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: 'data:image/jpeg;base64,AAAA' },
  { id: 'window:42:0', name: 'Slides', kind: 'window', thumbnail: null }
]

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dym-desktop-'))
  core = new Core({ dataDir: dir, hostKind: 'electron', log: memoryLogger() })
  seen = []
  core.onEvent((event, payload) => seen.push({ event, payload }))
  await core.start()
})
afterEach(async () => {
  await core.stop()
  rmSync(dir, { recursive: true, force: true })
})

const lastPickRequest = () =>
  seen.filter((e) => e.event === 'screen.pick-request').at(-1)?.payload as {
    requestId: string
    sources: ScreenSource[]
    audioAvailable: boolean
  }

describe('screen picker broker', () => {
  it('asks the renderer and resolves with the chosen source', async () => {
    const choice = core.desktop.pickScreen(sources, true)
    const request = lastPickRequest()
    expect(request.sources.map((s) => s.id)).toEqual(['screen:0:0', 'window:42:0'])
    expect(request.audioAvailable).toBe(true)
    expect(await core.invoke('screen.pick', { requestId: request.requestId, sourceId: 'window:42:0', audio: true }, caller)).toEqual({
      ok: true,
      value: { ok: true }
    })
    expect(await choice).toEqual({ sourceId: 'window:42:0', audio: true })
  })

  it('cancelling resolves null; answering twice is refused', async () => {
    const choice = core.desktop.pickScreen(sources, false)
    const { requestId } = lastPickRequest()
    await core.invoke('screen.pick', { requestId, sourceId: null }, caller)
    expect(await choice).toBeNull()
    expect(await core.invoke('screen.pick', { requestId, sourceId: 'screen:0:0' }, caller)).toMatchObject({
      ok: false,
      error: { code: 'not-found' }
    })
  })

  it('refuses a source that was not offered, and system audio when it was not available', async () => {
    const choice = core.desktop.pickScreen(sources, false)
    const { requestId } = lastPickRequest()
    expect(await core.invoke('screen.pick', { requestId, sourceId: 'window:666:0' }, caller)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
    await core.invoke('screen.pick', { requestId, sourceId: 'screen:0:0', audio: true }, caller)
    expect(await choice).toEqual({ sourceId: 'screen:0:0', audio: false })
  })

  it('refuses malformed answers at the contract', async () => {
    expect(await core.invoke('screen.pick', { requestId: 'x', sourceId: null }, caller)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
    expect(await core.invoke('screen.pick', { requestId: 'a'.repeat(20), sourceId: 'y'.repeat(500) }, caller)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
  })

  it('a new request replaces an unanswered one, which the renderer is told to close', async () => {
    const first = core.desktop.pickScreen(sources, false)
    const firstId = lastPickRequest().requestId
    const second = core.desktop.pickScreen(sources, false)
    expect(await first).toBeNull()
    expect(seen.some((e) => e.event === 'screen.pick-cancelled' && (e.payload as { requestId: string }).requestId === firstId)).toBe(true)
    await core.invoke('screen.pick', { requestId: lastPickRequest().requestId, sourceId: 'screen:0:0' }, caller)
    expect(await second).toEqual({ sourceId: 'screen:0:0', audio: false })
  })

  it('times out, and stopping the core cancels an open picker', async () => {
    const events: string[] = []
    const broker = new ScreenPickBroker({ emit: (e) => events.push(e), timeoutMs: 30 })
    expect(await broker.request(sources, false)).toBeNull()
    expect(events).toEqual(['screen.pick-request', 'screen.pick-cancelled'])
    const open = core.desktop.pickScreen(sources, false)
    await core.stop()
    expect(await open).toBeNull()
  })

  it('drops sources past the cap and the event stays within the contract', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ id: `window:${i}:0`, name: `w${i}`, kind: 'window' as const, thumbnail: null }))
    void core.desktop.pickScreen(many, false)
    expect(lastPickRequest().sources).toHaveLength(40)
  })
})

describe('invite links', () => {
  it('a link that arrives before the renderer is kept until taken, once', async () => {
    core.desktop.offerInvite('dym://join/abc')
    expect(seen).toContainEqual({ event: 'app.open-invite', payload: { invite: 'dym://join/abc' } })
    expect(await core.invoke('app.pending-invite', {}, caller)).toEqual({ ok: true, value: { invite: 'dym://join/abc' } })
    expect(await core.invoke('app.pending-invite', {}, caller)).toEqual({ ok: true, value: { invite: null } })
  })

  it('the latest link wins; a refused link is reported with its reason', async () => {
    core.desktop.offerInvite('dym://join/one')
    core.desktop.offerInvite('dym://join/two')
    expect(await core.invoke('app.pending-invite', {}, caller)).toEqual({ ok: true, value: { invite: 'dym://join/two' } })
    core.desktop.refuseLink('the invite is missing from the link')
    expect(seen).toContainEqual({ event: 'app.link-refused', payload: { reason: 'the invite is missing from the link' } })
  })

  it('menu commands become app.menu-command events', () => {
    core.desktop.menuCommand('toggle-mute')
    expect(seen).toContainEqual({ event: 'app.menu-command', payload: { command: 'toggle-mute' } })
  })
})
