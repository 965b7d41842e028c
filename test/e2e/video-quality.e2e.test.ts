import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import {
  debugOn,
  ensureSignedIn,
  joinMeeting,
  peerIdOf,
  startMeeting,
  waitForRemoteVideo,
  withCallDiagnostics
} from '../support/meeting-steps'

/**
 * Sharp video: two people, each on their own host, in real Chromium with the fake camera. What
 * a user notices is the picture of the other person; we read its size where it is decoded
 * (getStats inbound-rtp frameWidth/frameHeight). No frame-rate threshold here: that is the bench's.
 */
let harness: Harness
const SLOW = 45_000
afterEach(async () => harness?.close())

interface Received {
  width: number
  height: number
  fps: number
  limit: string
}

/** The size of the other person's camera as decoded on this page, and why their sender limits it. */
async function received(page: Page, fromPage: Page): Promise<Received> {
  const from = await peerIdOf(fromPage)
  const self = await peerIdOf(page)
  const read = (p: Page, id: string, type: string) =>
    p.evaluate(
      async ([id, type]) => {
        type Stat = Record<string, unknown> & { type: string; kind?: string }
        type Win = {
          dymCall?: {
            mesh: { peerConnection(id: string): { getStats(): Promise<{ forEach(cb: (s: Stat) => void): void }> } | null } | null
          }
        }
        const pc = (globalThis as unknown as Win).dymCall?.mesh?.peerConnection(id as string)
        const out: Stat[] = []
        if (pc) (await pc.getStats()).forEach((s) => s.type === type && s.kind === 'video' && out.push(s))
        return out
      },
      [id, type] as const
    )
  const inbound = (await read(page, from, 'inbound-rtp')).sort((a, b) => Number(b.framesDecoded ?? 0) - Number(a.framesDecoded ?? 0))[0]
  const outbound = (await read(fromPage, self, 'outbound-rtp'))[0]
  return {
    width: Number(inbound?.frameWidth ?? 0),
    height: Number(inbound?.frameHeight ?? 0),
    fps: Number(inbound?.framesPerSecond ?? 0),
    limit: `${String(outbound?.qualityLimitationReason)} ${JSON.stringify(outbound?.qualityLimitationDurations)} sent ${String(outbound?.frameWidth)}x${String(outbound?.frameHeight)}`
  }
}

describe('sharp video, two people over the libp2p core', () => {
  it('each sees the other at 640x360 or more', async () => {
    harness = new Harness()
    const peers = await Promise.all([harness.addPeer(), harness.addPeer()])
    const [alice, bob] = peers.map((p) => p.page) as [Page, Page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    await Promise.all([debugOn(alice), debugOn(bob)])
    const invite = await startMeeting(alice, 'Sharp')
    await joinMeeting(bob, invite)
    await withCallDiagnostics(peers, ['Alice', 'Bob'], () =>
      Promise.all([waitForRemoteVideo(alice, 1, SLOW), waitForRemoteVideo(bob, 1, SLOW)])
    )
    for (const [page, from, name] of [
      [alice, bob, 'Bob on Alice'],
      [bob, alice, 'Alice on Bob']
    ] as const) {
      let last: Received | null = null
      try {
        await expect
          .poll(
            async () => {
              last = await received(page, from)
              return Math.min(last.width / 640, last.height / 360)
            },
            { timeout: SLOW, interval: 1000, message: `${name} reaches 640x360` }
          )
          .toBeGreaterThanOrEqual(1)
      } catch (err) {
        throw new Error(`${(err as Error).message}: last ${JSON.stringify(last)}`)
      }
      console.log(`${name}: ${JSON.stringify(last)}`)
    }
  })
})
