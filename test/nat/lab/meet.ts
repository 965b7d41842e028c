import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import {
  debugOn,
  ensureSignedIn,
  expectLiveRemoteTiles,
  expectRemoteAudio,
  firstFrames,
  inviteOf,
  remoteTiles,
  watchFirstFrames,
  withCallDiagnostics
} from '../../support/meeting-steps'
import { pollUntil } from '../../support/poll'
import type { LabRelay, NatLab, Participant } from './nat-lab'

/**
 * Two people of the lab meeting: one starts a meeting, the other joins from the invite; both
 * pages play the other's video and audio, chat crosses both ways, and the route the badge
 * shows is the one getStats selected. Then both leave, back to the home screen, so the same
 * participants (their hosts and Chromiums) meet the next person.
 */

/** One end of the selected ICE candidate pair, as getStats tells it. */
export interface RouteEnd {
  type: string
  address: string
  protocol: string
  /** how a relay candidate reaches its TURN server (udp, tcp, tls) */
  relayProtocol?: string
  /** the STUN/TURN server a local candidate was gathered from */
  url?: string
}
export interface SelectedRoute {
  local: RouteEnd
  remote: RouteEnd
  /** what the user should be told: any relay candidate in the pair means the media goes through TURN */
  route: 'Direct' | 'Relayed'
}

/**
 * What each side puts in Settings before a meeting: the creator its relays, the joiner nothing
 * (the invite brings the relays, and the app asks them for STUN/TURN). `iceTransportPolicy`
 * 'relay' on both sides: only TURN candidates, to prove the TURN path where a direct one exists.
 */
export interface RelaySetup {
  relays: LabRelay[]
  iceTransportPolicy?: 'all' | 'relay'
}

const applied = new WeakMap<Page, string>()

/** Put this side's Settings in place (only when they change: a new relay list restarts the node). */
export async function configure(p: Participant, setup: RelaySetup | null, role: 'creator' | 'joiner'): Promise<void> {
  const patch = {
    relays: setup && role === 'creator' ? setup.relays.map((r) => relayAddrFor(r, p)) : [],
    iceServers: [],
    iceTransportPolicy: setup?.iceTransportPolicy ?? 'all'
  }
  const key = JSON.stringify(patch)
  if (applied.get(p.page) === key) return
  await p.page.evaluate(`window.dym.invoke('settings.update', ${key})`)
  applied.set(p.page, key)
}

/** The relay's address a participant can reach: an IPv6 one for a machine with IPv6 only. */
function relayAddrFor(r: LabRelay, p: Participant): string {
  const family = p.publicIp.includes(':') ? '/ip6/' : '/ip4/'
  const addr = r.addrs.find((a) => a.startsWith(family) && !a.includes('/ws'))
  if (!addr) throw new Error(`relay ${r.ip} has no ${family} address: ${r.addrs.join(' ')}`)
  return addr
}

/** Sign in (as a guest) and turn on the call's debug hooks, once per participant. */
export async function prepareParticipant(p: Participant): Promise<void> {
  await ensureSignedIn(p.page, p.name)
  await debugOn(p.page)
}

/** The selected candidate pair of this page's (one) peer connection, or null before one is selected. */
export async function selectedRoute(page: Page): Promise<SelectedRoute | null> {
  const raw = await page.evaluate(async () => {
    type Stat = Record<string, unknown> & { id: string; type: string }
    type Pc = { getStats(): Promise<{ forEach(cb: (s: Stat) => void): void }> }
    type Win = { dymCall?: { mesh: { getSnapshot(): Array<{ id: string }>; peerConnection(id: string): Pc | null } | null } }
    const mesh = (globalThis as unknown as Win).dymCall?.mesh
    const id = mesh?.getSnapshot()[0]?.id
    const pc = id ? mesh?.peerConnection(id) : null
    if (!pc) return null
    const stats = new Map<string, Stat>()
    ;(await pc.getStats()).forEach((s) => stats.set(s.id, s))
    const transport = [...stats.values()].find((s) => s.type === 'transport' && s.selectedCandidatePairId)
    const pair = transport ? stats.get(String(transport.selectedCandidatePairId)) : undefined
    if (!pair) return null
    const end = (id: unknown) => {
      const c = stats.get(String(id))
      return c
        ? {
            type: String(c.candidateType),
            address: String(c.address ?? c.ip),
            protocol: String(c.protocol),
            relayProtocol: c.relayProtocol ? String(c.relayProtocol) : undefined,
            url: c.url ? String(c.url) : undefined
          }
        : null
    }
    return { local: end(pair.localCandidateId), remote: end(pair.remoteCandidateId) }
  })
  if (!raw?.local || !raw.remote) return null
  const route = raw.local.type === 'relay' || raw.remote.type === 'relay' ? 'Relayed' : 'Direct'
  return { local: raw.local, remote: raw.remote, route }
}

export function describeRoute(r: SelectedRoute): string {
  const end = (e: RouteEnd) => `${e.type} ${e.address}/${e.relayProtocol ? `${e.relayProtocol}>` : ''}${e.protocol}`
  return `${r.route} (${end(r.local)} <-> ${end(r.remote)})`
}

/**
 * Both pages play the other's video and audio, and each tile's route badge says what that page's
 * getStats selected. The two ends may select different pairs (Chrome's ICE can send one way
 * directly and the other way through TURN): each badge tells its own side's.
 */
export async function expectMediaBothWays(pages: Page[], timeoutMs = 45_000): Promise<SelectedRoute[]> {
  for (const page of pages) {
    await expectLiveRemoteTiles(page, 1, timeoutMs)
    await expectRemoteAudio(page, 20_000)
  }
  let seen: Array<SelectedRoute | null> = []
  await pollUntil(
    async () => {
      seen = await Promise.all(pages.map(selectedRoute))
      const badges = await Promise.all(
        pages.map((page) =>
          remoteTiles(page)
            .getByTestId('tile-route')
            .textContent({ timeout: 1000 })
            .catch(() => null)
        )
      )
      return seen.map((r, i) => (r ? `${badges[i]} = ${describeRoute(r)}` : 'no selected pair'))
    },
    (lines) => lines.every((line) => /^(Direct = Direct|Relayed = Relayed) /.test(line)),
    { timeout: 20_000, message: "each route badge shows what its page's getStats selected" }
  )
  return seen as SelectedRoute[]
}

/** A line of chat from each side reaches the other (text unique to this meeting, so a capture can look for it). */
export async function chatBothWays(a: Page, b: Page, text: [string, string]): Promise<void> {
  for (const [from, to, line] of [
    [a, b, text[0]],
    [b, a, text[1]]
  ] as const) {
    if (!(await from.getByTestId('chat-input').isVisible())) await from.getByTestId('control-chat').click()
    await from.getByTestId('chat-input').fill(line)
    await from.keyboard.press('Enter')
    if (!(await to.getByTestId('chat-input').isVisible())) await to.getByTestId('control-chat').click()
    await pollUntil(
      () => to.getByTestId('chat-text').allTextContents(),
      (lines) => lines.includes(line),
      { timeout: 20_000, message: `chat "${line}" arrives` }
    )
  }
}

/**
 * Start a meeting / join one, as meeting-steps does, but waiting as long as the join may take on
 * a loaded machine: the node of a host whose relay list just changed is still starting (a relay
 * that answers slowly holds up listening), and room.create waits for it.
 */
const ENTER_TIMEOUT = 60_000
export async function startMeeting(page: Page, title: string): Promise<string> {
  await page.getByTestId('new-meeting-title').fill(title)
  await page.getByTestId('new-meeting-button').click()
  await enter(page)
  return inviteOf(page)
}
export async function joinMeeting(page: Page, invite: string): Promise<number> {
  await page.getByTestId('join-invite-input').fill(invite)
  await page.getByTestId('join-invite-button').click()
  return enter(page)
}
async function enter(page: Page): Promise<number> {
  await page.getByTestId('join-button').click()
  const clickedAt = Date.now()
  await page
    .getByTestId('meeting')
    .or(page.getByTestId('prejoin-error'))
    .first()
    .waitFor({ timeout: ENTER_TIMEOUT })
    .catch(async (err: unknown) => {
      // What the person would be looking at instead: the screen's words.
      const text = await page
        .locator('body')
        .innerText({ timeout: 5_000 })
        .then((t) => t.replace(/\s+/g, ' ').slice(0, 600))
        .catch(() => '?')
      throw new Error(`${(err as Error).message.split('\n')[0]}; the page shows: ${text}`)
    })
  const error = page.getByTestId('prejoin-error')
  if (await error.isVisible()) throw new Error(`the pre-join screen says: ${await error.textContent()}`)
  return clickedAt
}

/** Leave the meeting and go back to the home screen. */
export async function leave(page: Page): Promise<void> {
  await page.getByTestId('control-leave').click()
  await page.getByTestId('home-button').click()
  await page.getByTestId('new-meeting-button').waitFor()
}

/** Back to the home screen from wherever a failed step left the page (meeting, pre-join, its error). */
async function backHome(page: Page): Promise<void> {
  for (const id of ['control-leave', 'home-button', 'prejoin-back']) {
    const button = page.getByTestId(id)
    if (await button.isVisible()) await button.click({ timeout: 5_000 })
  }
  await page.getByTestId('new-meeting-button').waitFor({ timeout: 20_000 })
}

export interface PairResult {
  creator: Participant
  joiner: Participant
  /** Join click to the first frame shown both ways (stamped in the pages) */
  mediaMs: number
  routes: SelectedRoute[]
  invite: string
  chat: [string, string]
}

/**
 * One meeting of two. `during` runs while the call is up (a capture, a failover), before both
 * leave. Failures carry both pages' call logs and every host's and relay's log.
 */
export async function meetPair(
  lab: NatLab,
  creator: Participant,
  joiner: Participant,
  setup: RelaySetup | null,
  during?: (r: PairResult) => Promise<void>
): Promise<PairResult> {
  await Promise.all([configure(creator, setup, 'creator'), configure(joiner, setup, 'joiner')])
  const pages = [creator.page, joiner.page]
  await Promise.all(pages.map(watchFirstFrames))
  const tag = randomBytes(4).toString('hex')
  try {
    const result = await lab.explain(() =>
      withCallDiagnostics([creator, joiner], [creator.name, joiner.name], async () => {
        const invite = await startMeeting(creator.page, `Lab ${creator.nat} and ${joiner.nat}`)
        const clicked = await joinMeeting(joiner.page, invite)
        const routes = await expectMediaBothWays(pages)
        const frames = (await Promise.all(pages.map(firstFrames))).flatMap((f) => Object.values(f))
        const chat: [string, string] = [`hello from ${creator.name} ${tag}`, `hello from ${joiner.name} ${tag}`]
        await chatBothWays(creator.page, joiner.page, chat)
        const r: PairResult = { creator, joiner, mediaMs: Math.max(...frames) - clicked, routes, invite, chat }
        if (during) await during(r)
        return r
      })
    )
    await Promise.all(pages.map(leave))
    return result
  } finally {
    // Also after a failure: the next meeting starts from the home screen.
    await Promise.all(pages.map((page) => backHome(page).catch(() => undefined)))
  }
}

/** The matrix, printed: one row per creator kind, one column per joiner kind. */
export function formatMatrix(kinds: readonly string[], results: Array<{ a: string; b: string; cell: string }>): string {
  const width = Math.max(14, ...results.map((r) => r.cell.length + 2))
  const head = ['creator \\ joiner'.padEnd(18), ...kinds.map((k) => k.padEnd(width))].join('')
  const rows = kinds.map((a) =>
    [a.padEnd(18), ...kinds.map((b) => (results.find((r) => r.a === a && r.b === b)?.cell ?? '-').padEnd(width))].join('')
  )
  return [head, ...rows].join('\n')
}
