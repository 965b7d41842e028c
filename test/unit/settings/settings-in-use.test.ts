import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { Libp2p } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import { FfmpegNotFoundError } from '../../../src/main/core/recorder/find-ffmpeg'
import type { SettingsPatch } from '../../../src/shared/contract/settings'
import { parseInvite } from '../../../src/shared/invite'
import { sliceEvenly, webmFixture } from '../../support/media'
import { startRelay } from '../../support/relay-process'
import { LOOPBACK } from '../../support/room-members'
import { writeHostSettings } from '../../support/settings'

/** What settings.json says is what the running app uses: at start, and after each save. */
const caller = { id: 'test' }
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dym-settings-use-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function coreWith(settings: SettingsPatch, hostFolder?: string, options: { ffmpeg?: boolean } = {}): Promise<Core> {
  const dataDir = path.join(tempDir(), 'data')
  writeHostSettings(dataDir, settings)
  const core = await startCore({
    dataDir,
    hostKind: 'headless',
    log: memoryLogger(),
    recorder: {
      ...(hostFolder ? { folder: hostFolder } : {}),
      ...(options.ffmpeg ? {} : { findTools: () => Promise.reject(new FfmpegNotFoundError('not needed here')) })
    },
    rooms: { network: LOOPBACK }
  })
  cleanups.push(() => core.stop())
  return core
}

async function call(core: Core, method: Parameters<Core['invoke']>[0], payload: unknown) {
  const res = await core.invoke(method, payload, caller)
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code })
  return res.value as Record<string, unknown>
}

/** A plain libp2p node on loopback for the core to dial; resolves `connected()` on each new connection from it. */
async function bootstrapPeer(): Promise<{ node: Libp2p; addr: string; nextConnect(): Promise<void> }> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  cleanups.push(() => node.stop())
  return {
    node,
    addr: node.getMultiaddrs()[0]!.toString(),
    nextConnect: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the core did not dial its bootstrap peer within 15 s')), 15_000)
        node.addEventListener('peer:connect', () => (clearTimeout(timer), resolve()), { once: true })
      })
  }
}

describe('settings the running app uses', () => {
  it('the recordings folder from settings.json is used from the start, and a changed one from then on', async () => {
    const root = tempDir()
    const fromFile = path.join(root, 'from-file')
    const core = await coreWith({ recordingsDir: fromFile }, path.join(root, 'host-default'))
    expect(await call(core, 'recording.info', {})).toMatchObject({ folder: fromFile })
    const chosen = path.join(root, 'chosen', 'later')
    await call(core, 'settings.update', { recordingsDir: chosen })
    expect(statSync(chosen).isDirectory()).toBe(true)
    expect(await call(core, 'recording.info', {})).toMatchObject({ folder: chosen })
    writeFileSync(path.join(chosen, '2026-01-01_10-00_Old.mkv'), 'not really a recording')
    expect(await call(core, 'recording.list', {})).toMatchObject({
      folder: chosen,
      recordings: [expect.objectContaining({ name: '2026-01-01_10-00_Old.mkv' })]
    })
    await call(core, 'settings.update', { recordingsDir: null })
    expect(await call(core, 'recording.info', {})).toMatchObject({ folder: path.join(root, 'host-default') })
  })

  it(
    'a recording started before the folder changes is finished where it started; the next one goes to the new folder',
    { timeout: 90_000 },
    async () => {
      const fixture = await webmFixture({ seconds: 2 })
      const root = tempDir()
      const [before, after] = [path.join(root, 'before'), path.join(root, 'after')]
      const core = await coreWith({ recordingsDir: before }, undefined, { ffmpeg: true })
      const record = async () => {
        const state = await call(core, 'recording.start', { title: 'Folder' })
        const id = state.recordingId as string
        for (const [seq, bytes] of sliceEvenly(fixture.bytes, 2).entries())
          await call(core, 'recording.chunk', { recordingId: id, seq, bytes })
        return { id, name: state.name as string }
      }
      const first = await record()
      await call(core, 'settings.update', { recordingsDir: after })
      expect(await call(core, 'recording.stop', { recordingId: first.id })).toMatchObject({ name: first.name })
      expect(existsSync(path.join(before, first.name))).toBe(true)
      const second = await record()
      await call(core, 'recording.stop', { recordingId: second.id })
      expect(existsSync(path.join(after, second.name))).toBe(true)
      expect(await call(core, 'recording.list', {})).toMatchObject({
        folder: after,
        recordings: [expect.objectContaining({ name: second.name })]
      })
    }
  )

  it('a recordings folder the app cannot or should not write into is refused on save, saying why, and nothing is saved', async () => {
    const root = tempDir()
    const file = path.join(root, 'a-file')
    writeFileSync(file, 'x')
    const core = await coreWith({})
    const cases: Array<[string, RegExp]> = [
      ['/etc', /\/etc is a folder of the operating system/],
      ['/etc/dym-recordings', /folder of the operating system/],
      ['/usr/local/share/videos', /folder of the operating system/],
      ['/', /top of the file system/],
      [file, /is a file, not a folder/],
      [path.join(file, 'below'), /cannot be made: part of its path is a file/],
      ['C:\\Windows\\Recordings', /is not a full path on this computer/],
      ['/tmp/../etc', /folder of the operating system/]
    ]
    for (const [dir, why] of cases) {
      const res = await core.invoke('settings.update', { recordingsDir: dir }, caller)
      expect(res, dir).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(why) } })
      if (!res.ok) expect(res.error.message, dir).toMatch(/^The recordings folder .* choose a folder of your own/)
    }
    expect(await call(core, 'settings.get', {})).toMatchObject({ recordingsDir: null })
    expect(existsSync('/etc/dym-recordings')).toBe(false)
  })

  it('a downloads folder is checked like the recordings folder, and a good one is kept', async () => {
    const root = tempDir()
    const file = path.join(root, 'a-file')
    writeFileSync(file, 'x')
    const core = await coreWith({})
    for (const [dir, why] of [
      ['/etc', /folder of the operating system/],
      [file, /is a file, not a folder/],
      ['/', /top of the file system/]
    ] as Array<[string, RegExp]>) {
      const res = await core.invoke('settings.update', { downloadsDir: dir }, caller)
      expect(res, dir).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(why) } })
      if (!res.ok) expect(res.error.message).toMatch(/^The downloads folder .*, such as one in your Downloads folder/)
    }
    expect(await call(core, 'settings.get', {})).toMatchObject({ downloadsDir: null })
    const good = path.join(root, 'Downloads')
    expect(await call(core, 'settings.update', { downloadsDir: good })).toMatchObject({ downloadsDir: good })
  })

  it('a link into a system folder is refused like the folder itself', async () => {
    const root = tempDir()
    const { symlinkSync } = await import('node:fs')
    symlinkSync('/etc', path.join(root, 'innocent'))
    mkdirSync(path.join(root, 'fine'))
    const core = await coreWith({})
    const res = await core.invoke('settings.update', { recordingsDir: path.join(root, 'innocent', 'videos') }, caller)
    expect(res).toMatchObject({ ok: false, error: { message: expect.stringMatching(/folder of the operating system/) } })
    expect(await call(core, 'settings.update', { recordingsDir: path.join(root, 'fine') })).toMatchObject({
      recordingsDir: path.join(root, 'fine')
    })
  })

  it('bootstrap peers from settings.json are dialled at start', async () => {
    const peer = await bootstrapPeer()
    const connected = peer.nextConnect()
    await coreWith({ bootstrap: [peer.addr] })
    await connected
  })

  it('saving the same bootstrap list again starts a node that is not running', async () => {
    const peer = await bootstrapPeer()
    const first = peer.nextConnect()
    const core = await coreWith({ bootstrap: [peer.addr] })
    await first
    await core.rooms!.stop()
    expect(core.rooms!.libp2p).toBeNull()
    const again = peer.nextConnect()
    await call(core, 'settings.update', { bootstrap: [peer.addr] })
    await again
    expect(core.rooms!.libp2p).not.toBeNull()
  })

  it('a meeting started right after saving relays runs on the restarted node, and its invite names the relay', async () => {
    const relay = await startRelay()
    cleanups.push(() => relay.stop())
    const core = await coreWith({})
    await call(core, 'identity.guest', { displayName: 'Ann' })
    // Changed twice in a row, as someone trying things out would: two restarts, one after the other.
    await call(core, 'settings.update', { relays: [relay.addrs[0]!], bootstrap: [] })
    await call(core, 'settings.update', { relays: [relay.addrs[0]!], bootstrap: [relay.addrs[0]!] })
    // Not waiting for the node to restart: the meeting waits for it, as a person clicking at once would.
    const room = await call(core, 'room.create', { title: 'Right after saving' })
    expect(parseInvite(String(room.invite)).relays.map((r) => r.peerId)).toEqual([relay.peerId])
    const view = await call(core, 'room.current', {})
    expect(view).toMatchObject({ roomId: room.roomId })
  })
})
