import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cameraCap, screenCap } from '../../src/renderer/features/call/bitrate'
import type { LabApi as Lab, LabEncoding as LabCamera } from './pages/mesh-lab/lab-api'
import { launchChromium } from '../support/chromium'
import { makeTempDir, removeDir, REPO_ROOT } from '../support/host-process'
import { serveFolder } from '../support/static-server'
import { startTurnServer, turnSkipReason, type TurnServer } from '../support/turn-server'

/**
 * The WebRTC mesh engine in real Chromium: several engines in one page (test/e2e/pages/mesh-lab),
 * fake camera and microphone, signalling through an in-page bus that may reorder messages.
 */
let browser: Browser
let server: { url: string; close: () => Promise<void> }
let outDir: string
let page: Page
let turn: TurnServer | null = null

type LabMethod = keyof Lab
async function lab<M extends LabMethod>(method: M, ...args: Parameters<Lab[M]>): Promise<Awaited<ReturnType<Lab[M]>>> {
  return (await page.evaluate(
    ([m, a]) => (globalThis as unknown as { lab: Record<string, (...x: unknown[]) => unknown> }).lab[m as string]!(...(a as unknown[])),
    [method, args] as const
  )) as Awaited<ReturnType<Lab[M]>>
}

async function cameraFrames(id: string, remote: string): Promise<number> {
  const view = (await lab('view', id)).find((v) => v.id === remote)
  if (!view?.cameraStream) return 0
  const inbound = await lab('inbound', id, remote)
  return Math.max(0, ...inbound.video.map((v) => v.framesDecoded))
}

/** Remote camera video of `remote` decodes on `id` and keeps decoding. */
/** A fresh lab with peer-a and peer-b in a call (a, the impolite one, offers), b seeing a. */
async function twoConnected(): Promise<void> {
  await openLab()
  await lab('add', 'peer-a')
  await lab('add', 'peer-b')
  await lab('members', 'peer-a', [])
  await lab('members', 'peer-b', ['peer-a'])
  await expectVideoFlowing('peer-b', 'peer-a')
}

/** Video flows both ways between a and b within 20 s; if not, the error carries both engines' logs. */
async function expectLinkUp(a: string, b: string): Promise<void> {
  try {
    await expectVideoFlowing(a, b, 20_000)
    await expectVideoFlowing(b, a, 20_000)
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${a}:\n${(await lab('log', a)).join('\n')}\n${b}:\n${(await lab('log', b)).join('\n')}`)
  }
}

async function expectVideoFlowing(id: string, remote: string, timeout = 10_000): Promise<void> {
  await expect.poll(() => cameraFrames(id, remote), { timeout, message: `${id} decodes ${remote}'s camera` }).toBeGreaterThan(5)
  const before = await cameraFrames(id, remote)
  await expect.poll(() => cameraFrames(id, remote), { timeout, message: `${id} keeps decoding ${remote}` }).toBeGreaterThan(before + 10)
}

const MAGENTA = '#d020d0'
const isMagenta = (c: { r: number; g: number; b: number }) => c.r > 150 && c.b > 150 && c.g < 90

async function audioEnergy(id: string, remote: string): Promise<number> {
  return (await lab('inbound', id, remote)).audioEnergy
}

beforeAll(async () => {
  outDir = makeTempDir('dym-mesh-lab-')
  await build({
    root: path.join(REPO_ROOT, 'test/e2e/pages/mesh-lab'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, modulePreload: { polyfill: false }, minify: false }
  })
  server = await serveFolder(outDir)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await turn?.stop()
  if (outDir) removeDir(outDir)
})

async function openLab(options: { reorder?: boolean; loseFirstCandidates?: boolean } = {}): Promise<void> {
  const context = await browser.newContext()
  await context.grantPermissions(['camera', 'microphone'], { origin: new URL(server.url).origin })
  page = await context.newPage()
  page.on('pageerror', (err) => console.error('lab page error:', err.message))
  await page.goto(server.url)
  await page.waitForFunction(() => 'lab' in globalThis)
  await lab('reset', options)
}

afterEach(async () => {
  await page?.evaluate(() => (globalThis as unknown as { lab: Lab }).lab.reset()).catch(() => undefined)
  await page?.context().close()
})

describe('mesh engine in real Chromium', () => {
  it('two members: the impolite one offers and the other waits for it (no glare), video and audio flow both ways over a direct route', async () => {
    await openLab()
    await lab('add', 'peer-a')
    await lab('add', 'peer-b')
    await lab('members', 'peer-a', []) // a is alone in the room
    await lab('members', 'peer-b', ['peer-a']) // b joins: polite to a, it waits for a's offer
    await lab('members', 'peer-a', ['peer-b'])
    await expectVideoFlowing('peer-a', 'peer-b')
    await expectVideoFlowing('peer-b', 'peer-a')
    const energy = await audioEnergy('peer-a', 'peer-b')
    await expect.poll(() => audioEnergy('peer-a', 'peer-b'), { timeout: 8000, message: 'audio above silence' }).toBeGreaterThan(energy)
    await expect.poll(async () => (await lab('view', 'peer-a'))[0]?.route, { timeout: 5000 }).toBe('direct')
    const logA = (await lab('log', 'peer-a')).join('\n')
    expect(logA).not.toContain('collision')
  })

  it('a newcomer makes its offer before the room lets it in, sends it the moment the room says it dialled, and the member waits for it', async () => {
    await openLab()
    await lab('add', 'peer-a')
    await lab('add', 'peer-b')
    await lab('members', 'peer-a', [])
    // b (the polite one of the pair) is joining: its offer to a is made while its join is on its way.
    await lab('offerEarly', 'peer-b', ['peer-a'])
    await expect.poll(() => lab('signalingState', 'peer-b', 'peer-a'), { timeout: 10_000 }).toBe('have-local-offer')
    expect(await lab('sentOffers', 'peer-b')).toBe(0)
    // In, but the link to a is not up yet: the offer stays held.
    await lab('members', 'peer-b', [])
    expect(await lab('sentOffers', 'peer-b')).toBe(0)
    expect(await lab('delivered')).toBe(0)
    // b dialled a's meeting link, so b offers and a waits (politeness alone would have a offer).
    await lab('members', 'peer-a', ['peer-b'], { 'peer-b': 'them' })
    await lab('members', 'peer-b', ['peer-a'], { 'peer-a': 'us' })
    await expectLinkUp('peer-a', 'peer-b')
    expect(await lab('sentOffers', 'peer-b')).toBe(1)
    expect(await lab('sentOffers', 'peer-a')).toBe(0)
    expect((await lab('log', 'peer-a')).join('\n')).not.toContain('collision')
  })

  it('early offers the room does not take close unsent: to a member that dialled us and offers itself, and to one never in the meeting', async () => {
    await openLab()
    await lab('add', 'peer-a')
    await lab('add', 'peer-b')
    await lab('members', 'peer-a', [])
    await lab('offerEarly', 'peer-b', ['peer-a', 'peer-gone'])
    await expect.poll(() => lab('signalingState', 'peer-b', 'peer-gone'), { timeout: 10_000 }).toBe('have-local-offer')
    // a dialled b (it heard of b first): a offers, b answers, and b's early offers never leave.
    await lab('members', 'peer-b', ['peer-a'], { 'peer-a': 'them' })
    await lab('members', 'peer-a', ['peer-b'], { 'peer-b': 'us' })
    await expectLinkUp('peer-a', 'peer-b')
    expect(await lab('sentOffers', 'peer-b')).toBe(0)
    expect(await lab('sentOffers', 'peer-a')).toBe(1)
    // The one to a member the room never showed closes unsent a few seconds on.
    await expect.poll(async () => (await lab('view', 'peer-b')).map((v) => v.id), { timeout: 10_000 }).toEqual(['peer-a'])
    expect(await lab('sentOffers', 'peer-b')).toBe(0)
  })

  it('three members with signalling that reorders messages: every page decodes both others', async () => {
    await openLab({ reorder: true })
    for (const id of ['peer-a', 'peer-b', 'peer-c']) await lab('add', id)
    await lab('members', 'peer-a', [])
    await lab('members', 'peer-b', ['peer-a'])
    await lab('members', 'peer-a', ['peer-b'])
    await lab('members', 'peer-c', ['peer-a', 'peer-b'])
    await lab('members', 'peer-a', ['peer-b', 'peer-c'])
    await lab('members', 'peer-b', ['peer-a', 'peer-c'])
    for (const [id, remote] of [
      ['peer-a', 'peer-b'],
      ['peer-a', 'peer-c'],
      ['peer-b', 'peer-a'],
      ['peer-b', 'peer-c'],
      ['peer-c', 'peer-a'],
      ['peer-c', 'peer-b']
    ] as const) {
      await expectVideoFlowing(id, remote, 15_000)
    }
    for (const id of ['peer-a', 'peer-b', 'peer-c']) {
      const views = await lab('view', id)
      expect(views.map((v) => v.state)).toEqual(['connected', 'connected'])
    }
  })

  it('glare: both sides offer at the same moment and still end with one working connection', async () => {
    await openLab()
    // The polite side does not wait for a's offer. A yielding side sometimes never gathers ICE
    // candidates again (Chromium): then the link starts over at its connect timeout.
    await lab('add', 'peer-a', { connectTimeoutMs: 4000 })
    await lab('add', 'peer-b', { offerGraceMs: 0, connectTimeoutMs: 4000 })
    // Both see each other as already present, so both offer at once.
    await page.evaluate(() => {
      const l = (globalThis as unknown as { lab: Lab }).lab
      l.members('peer-a', ['peer-b'])
      l.members('peer-b', ['peer-a'])
    })
    await expectLinkUp('peer-a', 'peer-b')
    const logs = [...(await lab('log', 'peer-a')), ...(await lab('log', 'peer-b'))].join('\n')
    console.log(`glare: ${logs.includes('starting over') ? 'the link started over once' : 'settled by perfect negotiation alone'}`)
    expect(logs).toContain('offer collision')
    // One audio + one video transceiver each: the yielding side reused its own, nothing doubled.
    expect((await lab('inbound', 'peer-a', 'peer-b')).transceivers).toBe(2)
    expect((await lab('inbound', 'peer-b', 'peer-a')).transceivers).toBe(2)
  })

  it('ICE restart: new ICE credentials, media keeps flowing', async () => {
    await twoConnected()
    const ufrag = await lab('remoteUfrag', 'peer-b', 'peer-a')
    await lab('restartIce', 'peer-a', 'peer-b')
    await expect.poll(() => lab('remoteUfrag', 'peer-b', 'peer-a'), { timeout: 10_000 }).not.toBe(ufrag)
    await expectVideoFlowing('peer-b', 'peer-a')
    expect((await lab('view', 'peer-a'))[0]?.iceRestarts).toBe(1)
    expect((await lab('view', 'peer-a'))[0]?.state).toBe('connected')
  })

  it('fresh TURN credentials reach a direct link without an ICE restart; a link that is not up yet restarts to use them', async () => {
    await twoConnected()
    // A renewal's servers: a TURN URL on loopback nobody listens on (this link never needs it).
    const renewed = (n: number) => ({
      iceServers: [{ urls: 'turn:127.0.0.1:9?transport=udp', username: `${Date.now()}:m${n}`, credential: `c${n}` }],
      iceTransportPolicy: 'all' as const
    })
    await lab('setIce', 'peer-a', renewed(1))
    await lab('setIce', 'peer-a', renewed(2))
    expect((await lab('view', 'peer-a'))[0]).toMatchObject({ state: 'connected', iceRestarts: 0 })
    await expectVideoFlowing('peer-b', 'peer-a')
    // A member still connecting takes the new servers with a restart.
    await lab('add', 'peer-c', { offerGraceMs: 60_000 })
    await lab('blockSignalling', 'peer-c', true)
    await lab('members', 'peer-a', ['peer-b', 'peer-c'])
    await lab('setIce', 'peer-a', renewed(3))
    // (a link that never connected starts over with a new peer connection rather than restart ICE)
    expect((await lab('log', 'peer-a')).join('\n')).toMatch(/never connected to peer-c: starting over|ICE restart 1 to peer-c/)
    expect((await lab('view', 'peer-a')).find((v) => v.id === 'peer-b')?.iceRestarts).toBe(0)
  })

  it('camera hot-swap with replaceTrack: the other side sees the new picture without renegotiation', async () => {
    await twoConnected()
    const transceivers = (await lab('inbound', 'peer-b', 'peer-a')).transceivers
    await lab('swapCamera', 'peer-a', '#e01010')
    await expect
      .poll(async () => (await lab('remoteColor', 'peer-b', 'peer-a', 'camera')).r, { timeout: 10_000, message: 'b sees a red picture' })
      .toBeGreaterThan(150)
    const color = await lab('remoteColor', 'peer-b', 'peer-a', 'camera')
    expect(color.g).toBeLessThan(90)
    expect((await lab('inbound', 'peer-b', 'peer-a')).transceivers).toBe(transceivers)
  })

  it('screen share arrives as its own stream (its own tile) and goes away when stopped', async () => {
    await twoConnected()
    await lab('startScreen', 'peer-a', MAGENTA)
    await expect.poll(async () => (await lab('view', 'peer-b'))[0]?.screen, { timeout: 10_000 }).toBe(true)
    const view = (await lab('view', 'peer-b'))[0]!
    expect(view.screenStream).not.toBe(view.cameraStream)
    await expect
      .poll(async () => isMagenta(await lab('remoteColor', 'peer-b', 'peer-a', 'screen')), {
        timeout: 10_000,
        message: 'the screen tile shows the screen'
      })
      .toBe(true)
    expect(isMagenta(await lab('remoteColor', 'peer-b', 'peer-a', 'camera'))).toBe(false)
    await expect.poll(async () => (await lab('view', 'peer-b'))[0]?.screenFramesDecoded ?? 0, { timeout: 10_000 }).toBeGreaterThan(5)
    await expect
      .poll(async () => (await lab('senderParams', 'peer-a', 'peer-b')).screen?.maxBitrate, { timeout: 5000 })
      .toBe(screenCap('medium', 1).maxBitrate)
    await lab('stopScreen', 'peer-a')
    await expect.poll(async () => (await lab('view', 'peer-b'))[0]?.screen, { timeout: 10_000 }).toBe(false)
    await expectVideoFlowing('peer-b', 'peer-a')
    // Sharing again reuses the same transceiver.
    const transceivers = (await lab('inbound', 'peer-b', 'peer-a')).transceivers
    await lab('startScreen', 'peer-a', MAGENTA)
    await expect.poll(async () => (await lab('view', 'peer-b'))[0]?.screen, { timeout: 10_000 }).toBe(true)
    await expect.poll(async () => isMagenta(await lab('remoteColor', 'peer-b', 'peer-a', 'screen')), { timeout: 10_000 }).toBe(true)
    expect((await lab('inbound', 'peer-b', 'peer-a')).transceivers).toBe(transceivers)
  })

  it('a member who joins while someone shares a screen gets their camera and the screen', async () => {
    await openLab()
    await lab('add', 'peer-a')
    await lab('members', 'peer-a', [])
    await lab('startScreen', 'peer-a', MAGENTA)
    await lab('add', 'peer-c')
    await lab('members', 'peer-c', ['peer-a'])
    await expectVideoFlowing('peer-c', 'peer-a')
    await expect
      .poll(async () => (await lab('view', 'peer-c'))[0]?.screen, { timeout: 10_000, message: 'peer-c gets the screen' })
      .toBe(true)
    await expect
      .poll(async () => isMagenta(await lab('remoteColor', 'peer-c', 'peer-a', 'screen')), {
        timeout: 10_000,
        message: 'the screen tile shows the screen'
      })
      .toBe(true)
  })

  it('bitrate caps: applied to the senders and shrinking as the room grows', async () => {
    await openLab()
    for (const id of ['peer-a', 'peer-b', 'peer-c']) await lab('add', id, { warmupMs: 300 })
    await lab('members', 'peer-a', [])
    await lab('members', 'peer-b', ['peer-a'])
    await lab('members', 'peer-a', ['peer-b'])
    await expectVideoFlowing('peer-b', 'peer-a')
    // The cap is a ceiling: each link is also sized to the receiver's tile and the link's
    // bandwidth estimate (tile-fit.ts), which may ask for less, never for more.
    const two = cameraCap('medium', 1)
    const withinCap = (cap: { maxBitrate: number; scaleResolutionDownBy: number }) => (camera: LabCamera | null) =>
      !!camera &&
      camera.active === true &&
      (camera.maxBitrate ?? Infinity) <= cap.maxBitrate &&
      (camera.scaleResolutionDownBy ?? 0) >= cap.scaleResolutionDownBy
    await expect.poll(async () => withinCap(two)((await lab('senderParams', 'peer-a', 'peer-b')).camera), { timeout: 5000 }).toBe(true)
    await lab('members', 'peer-c', ['peer-a', 'peer-b'])
    await lab('members', 'peer-a', ['peer-b', 'peer-c'])
    await lab('members', 'peer-b', ['peer-a', 'peer-c'])
    await expectVideoFlowing('peer-c', 'peer-a')
    const three = cameraCap('medium', 2)
    expect(three.maxBitrate).toBeLessThan(two.maxBitrate)
    for (const remote of ['peer-b', 'peer-c']) {
      await expect.poll(async () => withinCap(three)((await lab('senderParams', 'peer-a', remote)).camera), { timeout: 5000 }).toBe(true)
    }
  })

  it('a tile off screen: its video stops being sent, its audio keeps playing', async () => {
    await twoConnected()
    await lab('setVideoWanted', 'peer-b', 'peer-a', 'camera', false)
    await expect.poll(async () => (await lab('senderParams', 'peer-a', 'peer-b')).camera?.active, { timeout: 5000 }).toBe(false)
    // Decoding stops (give the last frames in flight a moment, then it stays flat).
    let last = -1
    await expect
      .poll(
        async () => {
          const now = await cameraFrames('peer-b', 'peer-a')
          const still = now === last
          last = now
          return still
        },
        { timeout: 10_000, interval: 700 }
      )
      .toBe(true)
    const energy = await audioEnergy('peer-b', 'peer-a')
    await expect.poll(() => audioEnergy('peer-b', 'peer-a'), { timeout: 8000, message: 'audio is never paused' }).toBeGreaterThan(energy)
    await lab('setVideoWanted', 'peer-b', 'peer-a', 'camera', true)
    await expectVideoFlowing('peer-b', 'peer-a')
  })

  it('a lost offer from the impolite side does not leave both waiting: it is taken back and made again', async () => {
    await openLab()
    await lab('add', 'peer-a', { answerTimeoutMs: 2000 })
    await lab('add', 'peer-b', { answerTimeoutMs: 2000 })
    expect((await lab('view', 'peer-a')).length).toBe(0)
    // a (the impolite side of this pair) offers while its signalling is down: the offer is lost.
    await lab('blockSignalling', 'peer-a', true)
    await lab('members', 'peer-a', ['peer-b'])
    await expect.poll(() => lab('droppedOffers', 'peer-a'), { message: 'the offer was made and lost' }).toBe(1)
    await lab('blockSignalling', 'peer-a', false)
    // b offers too; a ignores it (it still waits for its own answer) until its answer timer fires.
    await lab('members', 'peer-b', ['peer-a'])
    expect((await lab('view', 'peer-a'))[0]?.polite).toBe(false)
    await expectVideoFlowing('peer-a', 'peer-b', 15_000)
    await expectVideoFlowing('peer-b', 'peer-a', 15_000)
    expect((await lab('log', 'peer-a')).join('\n')).toContain('offering again')
  })

  it('a link that never connects is started over with a new peer connection, and the other side follows', async () => {
    await openLab({ loseFirstCandidates: true })
    await lab('add', 'peer-a', { connectTimeoutMs: 3000 })
    await lab('add', 'peer-b', { connectTimeoutMs: 3000 })
    await lab('members', 'peer-a', ['peer-b'])
    await lab('members', 'peer-b', ['peer-a'])
    await expectLinkUp('peer-a', 'peer-b')
    // Not with ICE restarts (they would have mended this simulation too): a, the impolite side, starts over.
    expect((await lab('log', 'peer-a')).join('\n')).toContain('starting over with a new peer connection')
    expect((await lab('log', 'peer-a')).join('\n')).not.toContain('ICE restart')
    expect((await lab('log', 'peer-b')).join('\n')).toContain('started a new session')
    expect((await lab('view', 'peer-a')).map((v) => v.state)).toEqual(['connected'])
  })

  it('an answer slower than the answer timeout still counts: the offer is made again word for word, and the link comes up', async () => {
    await openLab()
    await lab('add', 'peer-a', { answerTimeoutMs: 2000, connectTimeoutMs: 4000 })
    await lab('add', 'peer-b', { answerTimeoutMs: 2000, connectTimeoutMs: 4000 })
    // b's answers take longer than a's answer timeout (a busy machine): a gives up waiting
    // before the answer arrives, while b has applied a's offer already.
    await lab('delayAnswers', 'peer-b', 3000)
    await lab('members', 'peer-a', [])
    await lab('members', 'peer-b', ['peer-a'])
    await lab('members', 'peer-a', ['peer-b'])
    await expectLinkUp('peer-a', 'peer-b')
    expect((await lab('log', 'peer-a')).join('\n')).toContain('offering again')
    // Never out of step: no offer of a was refused by b.
    expect((await lab('log', 'peer-b')).join('\n')).not.toContain('does not fit')
    expect((await lab('view', 'peer-a')).map((v) => v.state)).toEqual(['connected'])
    expect((await lab('view', 'peer-b')).map((v) => v.state)).toEqual(['connected'])
  })

  it('two sides whose descriptions stopped fitting each other both start over with new peer connections', async () => {
    await openLab()
    // Timers long enough that only the mending under test can bring this link up.
    const slow = { answerTimeoutMs: 60_000, connectTimeoutMs: 60_000 }
    await lab('add', 'peer-a', slow)
    await lab('add', 'peer-b', slow)
    await lab('delayAnswers', 'peer-b', 3000)
    await lab('members', 'peer-a', [])
    await lab('members', 'peer-b', ['peer-a'])
    await lab('members', 'peer-a', ['peer-b'])
    // b has applied a's first offer and answered (slowly); a takes that offer back and makes a
    // new one: its m-lines are named anew, so b can never apply it (what an answer timeout that
    // rolled back did).
    await expect
      .poll(
        async () =>
          (await lab('inbound', 'peer-b', 'peer-a')).signalingState === 'stable' && (await lab('remoteUfrag', 'peer-b', 'peer-a')) !== null
      )
      .toBe(true)
    await lab('takeBackOffer', 'peer-a', 'peer-b')
    await expectLinkUp('peer-a', 'peer-b')
    expect((await lab('log', 'peer-b')).join('\n')).toContain('out of step with peer-a: starting over')
    // a follows b's new session, or finds b's late answer no longer fits and starts over itself
    expect((await lab('log', 'peer-a')).join('\n')).toMatch(/started a new session|out of step with peer-b: starting over/)
    expect((await lab('view', 'peer-a')).map((v) => v.state)).toEqual(['connected'])
    expect((await lab('view', 'peer-b')).map((v) => v.state)).toEqual(['connected'])
  })

  it('a member whose app restarted (same id, new session) is reconnected with a fresh connection', async () => {
    await openLab()
    await lab('add', 'peer-a')
    await lab('add', 'peer-b')
    await lab('members', 'peer-a', [])
    await lab('members', 'peer-b', ['peer-a'])
    await lab('members', 'peer-a', ['peer-b'])
    await expectVideoFlowing('peer-a', 'peer-b')
    await lab('remove', 'peer-b') // killed: a does not even hear it left
    await lab('add', 'peer-b')
    await lab('members', 'peer-b', ['peer-a'])
    await expectVideoFlowing('peer-a', 'peer-b')
    await expectVideoFlowing('peer-b', 'peer-a')
    expect((await lab('log', 'peer-a')).join('\n')).toContain('new session')
  })
})

describe.skipIf(turnSkipReason('mesh engine through a TURN relay') !== null)(
  'mesh engine through a TURN relay (coturn on loopback)',
  () => {
    it('relay-only media is marked relayed, and ICE restarts bring it back after the relay dies', async () => {
      turn ??= await startTurnServer()
      const ice = { iceServers: [turn.iceServer], iceTransportPolicy: 'relay' as const }
      await openLab()
      await lab('add', 'peer-a', { ice, disconnectGraceMs: 1000, connectTimeoutMs: 8000, maxIceRestarts: 10 })
      await lab('add', 'peer-b', { ice, disconnectGraceMs: 1000, connectTimeoutMs: 8000, maxIceRestarts: 10 })
      await lab('members', 'peer-a', [])
      await lab('members', 'peer-b', ['peer-a'])
      await lab('members', 'peer-a', ['peer-b'])
      await expectVideoFlowing('peer-a', 'peer-b', 15_000)
      await expect.poll(async () => (await lab('view', 'peer-a'))[0]?.route, { timeout: 5000 }).toBe('relayed')
      await expect.poll(async () => (await lab('view', 'peer-b'))[0]?.route, { timeout: 5000 }).toBe('relayed')

      // The relay dies and comes back empty: every allocation is gone, the old path is dead.
      await turn.kill()
      await turn.start()
      await expect
        .poll(async () => (await lab('view', 'peer-a'))[0]?.iceRestarts ?? 0, {
          timeout: 20_000,
          message: 'the dead path is noticed and ICE restarted'
        })
        .toBeGreaterThan(0)
      await expectVideoFlowing('peer-a', 'peer-b', 30_000)
      await expectVideoFlowing('peer-b', 'peer-a', 30_000)
      await expect.poll(async () => (await lab('view', 'peer-a'))[0]?.state, { timeout: 10_000 }).toBe('connected')
    })

    it('when nothing gets through the member is shown as unreachable; "try again" reconnects once the relay is back', async () => {
      turn ??= await startTurnServer()
      const ice = { iceServers: [turn.iceServer], iceTransportPolicy: 'relay' as const }
      const tuning = { ice, disconnectGraceMs: 500, connectTimeoutMs: 3000, maxIceRestarts: 2 }
      await openLab()
      await lab('add', 'peer-a', tuning)
      await lab('add', 'peer-b', tuning)
      await lab('members', 'peer-a', [])
      await lab('members', 'peer-b', ['peer-a'])
      await expectVideoFlowing('peer-a', 'peer-b', 15_000)
      await turn.kill()
      await expect
        .poll(async () => (await lab('view', 'peer-a'))[0]?.state, { timeout: 45_000, message: 'gives up after its restarts' })
        .toBe('unreachable')
      await turn.start()
      await lab('restartIce', 'peer-a', 'peer-b') // what the tile's "Try again" does
      await expect.poll(async () => (await lab('view', 'peer-a'))[0]?.state, { timeout: 30_000 }).toBe('connected')
      await expectVideoFlowing('peer-b', 'peer-a', 30_000)
    })
  }
)
