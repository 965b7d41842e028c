import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { CoreClient } from '../support/core-client'
import { Harness } from '../support/harness'
import { packetTimes, playableSeconds, streamFacts, streamVolumeDb } from '../support/media'
import {
  ensureSignedIn,
  expectLiveRemoteTiles,
  expectVideoKeepsPlaying,
  joinMeeting,
  peerIdOf,
  recordedSeconds,
  startMeeting,
  threeInAMeeting,
  tileOf,
  untilRecorded
} from '../support/meeting-steps'

/**
 * Issue 18's acceptance for the per-person path, over real hosts and real Chromium: three people
 * in a call, one records from the meeting's button; the file has a video and an audio track per
 * person who agreed, named after them, every other member's video at the frame rate the recorder's page
 * received it, the tracks lined up, every voice audible.
 */
let harness: Harness
afterEach(async () => harness?.close())

const toast = (page: Page, text: string) => page.getByTestId('toast').filter({ hasText: text })

/** Video frames the page has received from each member so far (getStats framesReceived), and when. */
async function framesReceived(page: Page, ids: string[]): Promise<{ at: number; frames: Record<string, number> }> {
  return (await page.evaluate(`(async () => {
    const frames = {}
    for (const id of ${JSON.stringify(ids)}) {
      const pc = window.dymCall.mesh.peerConnection(id)
      let n = 0
      if (pc) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') n = Math.max(n, s.framesReceived ?? 0) })
      frames[id] = n
    }
    return { at: Date.now(), frames }
  })()`)) as { at: number; frames: Record<string, number> }
}

/** The recorder's clock in her page (what the file holds), once it reaches `sec` seconds. */
async function recordedAtLeast(page: Page, sec: number): Promise<number> {
  await page.evaluate(`(async () => {
    const deadline = Date.now() + 90000
    while ((Date.now() - window.dymRecorder.status.startedAt) / 1000 < ${sec}) {
      if (Date.now() > deadline) throw new Error('the recording never reached ${sec} s')
      await new Promise((r) => setTimeout(r, 20))
    }
  })()`)
  return (await page.evaluate('(Date.now() - window.dymRecorder.status.startedAt) / 1000')) as number
}

describe('recording per person from encoded frames (real core, real Chromium, real ffmpeg)', () => {
  it('three people, one records 15 s: 3 video + 3 audio tracks named after them, at the received frame rate, lined up, every voice audible', async () => {
    harness = new Harness()
    const recordingsDir = harness.tempDir('dym-tracks-recordings-')
    const names = ['Alice', 'Bob', 'Carol']
    const { peers, pages, ids } = await threeInAMeeting(harness, 'Per person', 30_000, names, (i) =>
      i === 0 ? { DYM_RECORDINGS_DIR: recordingsDir } : undefined
    )
    const alice = pages[0] as Page
    const others = ids.slice(1)

    await alice.getByTestId('control-record').click()
    await alice.getByTestId('my-recording-elapsed').waitFor({ timeout: 30_000 })
    // Only who agrees is in the file: both say yes, and Alice is told.
    for (const p of pages.slice(1))
      await toast(p, 'Alice is recording this meeting').getByRole('button', { name: 'I agree' }).click({ timeout: 30_000 })
    for (const n of names.slice(1)) await toast(alice, `${n} agreed to be in your recording`).waitFor({ timeout: 30_000 })
    expect(await alice.evaluate('window.dymRecorder.path')).toBe('tracks')
    const before = await framesReceived(alice, others)
    // Stop when her recorder's clock says 15 s, watched inside her page (no round trip added).
    await alice.evaluate(`(async () => {
      const deadline = Date.now() + 60000
      while ((Date.now() - window.dymRecorder.status.startedAt) / 1000 < 15) {
        if (Date.now() > deadline) throw new Error('the recording never reached 15 s')
        await new Promise((r) => setTimeout(r, 20))
      }
    })()`)
    const after = await framesReceived(alice, others)
    // Nothing decoded or encoded again: the others' frames as they arrived, hers as a link sends them.
    const feeds = (await alice.evaluate('window.dymRecorder.feeds')) as Record<string, string>
    expect(Object.values(feeds).sort()).toEqual(['received', 'received', 'received', 'received', 'sent', 'sent'])
    await alice.getByTestId('control-record').click()
    const saved = alice.getByTestId('toast').filter({ hasText: 'Recording saved as' })
    // A bound on a hang, not a speed: merging and sealing copy the file twice, slow beside a CPU hog.
    await saved.waitFor({ timeout: 120_000 }).catch(async (err: unknown) => {
      console.log(`status: ${JSON.stringify(await alice.evaluate('window.dymRecorder.status'))}`)
      console.log(`page:\n${peers[0]!.consoleLines.slice(-30).join('\n')}\nhost:\n${peers[0]!.host.log().slice(-3000)}`)
      throw err
    })
    const name = /Recording saved as (\S+\.mkv)/.exec((await saved.textContent()) ?? '')?.[1] ?? ''
    expect(name).toMatch(/_Per-person\.mkv$/)
    expect(readdirSync(recordingsDir)).toEqual([name]) // no work files left behind
    const file = path.join(recordingsDir, name)

    // The media tracks (the signed consent log is an attachment next to them).
    const streams = (await streamFacts(file)).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio')
    console.log(`tracks: ${JSON.stringify(streams)}`)
    console.log(peers[0]!.consoleLines.filter((l) => l.includes('[recording]')).join('\n'))
    console.log(
      peers[0]!.host
        .log()
        .split('\n')
        .filter((l) => l.includes('recorder'))
        .join('\n')
    )
    // The recorder first, then the others in the order the meeting lists them: video, then audio.
    expect(streams.slice(0, 2).map((s) => [s.codec_name, s.title])).toEqual([
      ['vp8', 'Alice'],
      ['opus', 'Alice']
    ])
    const byTitle = (title: string) => streams.filter((s) => s.title === title).map((s) => s.codec_name)
    for (const n of names) expect(byTitle(n)).toEqual(['vp8', 'opus'])
    expect(streams).toHaveLength(6)
    expect(streams[0]?.isDefault).toBe(true)
    // Each other member's video at the rate Alice's page received it: the file (which spans more
    // than the measured seconds) holds at least every frame her page received during them. Rates
    // over different spans are not compared: the frame rate of a loaded machine drifts.
    const windowSec = (after.at - before.at) / 1000
    for (const [i, id] of others.entries()) {
      const track = streams.find((s) => s.title === names[i + 1] && s.codec_type === 'video')!
      const received = (after.frames[id] ?? 0) - (before.frames[id] ?? 0)
      const fileFps = (track.packets - 1) / (track.last - track.first)
      console.log(
        `${names[i + 1]}: received ${received} frames in ${windowSec.toFixed(1)} s (${(received / windowSec).toFixed(1)} fps); file ${track.packets} frames in ${(track.last - track.first).toFixed(1)} s (${fileFps.toFixed(1)} fps)`
      )
      expect(track.packets).toBeGreaterThanOrEqual(0.95 * received)
    }
    // Lined up: every track runs to the stop together and lasts as long as the recording.
    // A track's content ends one frame after its last frame starts (a frame lasts 1/fps).
    const ends = streams.map((s) => s.last + (s.last - s.first) / Math.max(1, s.packets - 1))
    console.log(`track ends: ${ends.map((e) => e.toFixed(2)).join(', ')} s`)
    expect(Math.max(...ends) - Math.min(...ends)).toBeLessThan(0.3)
    for (const s of streams) expect(s.last - s.first).toBeGreaterThan(13)
    for (const s of streams.filter((x) => x.codec_type === 'audio')) expect(await streamVolumeDb(file, s.index)).toBeGreaterThan(-60)
    expect(await playableSeconds(file)).toBeGreaterThan(13)
    expect(peers.flatMap((p) => p.pageErrors)).toEqual([])
  }, 240_000)

  it("a member joining 5 s in starts 5 s in, one leaving ends there; the recorder's own video, taken from a link, goes on through the other link", async () => {
    harness = new Harness()
    const recordingsDir = harness.tempDir('dym-tracks-recordings-')
    const alice = await harness.addPeer({ env: { DYM_RECORDINGS_DIR: recordingsDir } })
    const bob = await harness.addPeer()
    const carol = await harness.addPeer()
    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob'), ensureSignedIn(carol.page, 'Carol')])
    const invite = await startMeeting(alice.page, 'Comings and goings')
    await joinMeeting(bob.page, invite)
    for (const p of [alice.page, bob.page]) await expectLiveRemoteTiles(p, 1, 30_000)
    await alice.page.evaluate("localStorage.setItem('dym.debug', '1')")
    await alice.page.getByTestId('control-record').click()
    await alice.page.getByTestId('my-recording-elapsed').waitFor({ timeout: 30_000 })
    await toast(bob.page, 'Alice is recording this meeting').getByRole('button', { name: 'I agree' }).click({ timeout: 30_000 })

    const joinedAt = await recordedAtLeast(alice.page, 5)
    await joinMeeting(carol.page, invite)
    await toast(carol.page, 'Alice is recording this meeting').getByRole('button', { name: 'I agree' }).click({ timeout: 30_000 })
    await tileOf(alice.page, await peerIdOf(carol.page)).waitFor({ timeout: 30_000 })
    await expectLiveRemoteTiles(alice.page, 2, 30_000)
    // Bob leaves once Carol is in (her link is up), at 10 s or later.
    const leftAt = await recordedAtLeast(alice.page, 10)
    await bob.page.getByTestId('control-leave').click()
    await bob.page.getByTestId('left-meeting-title').waitFor({ timeout: 30_000 })
    await recordedAtLeast(alice.page, leftAt + 5)
    await alice.page.getByTestId('control-record').click()
    const saved = toast(alice.page, 'Recording saved as')
    await saved.waitFor({ timeout: 120_000 })
    const name = /Recording saved as (\S+\.mkv)/.exec((await saved.textContent()) ?? '')?.[1] ?? ''
    const file = path.join(recordingsDir, name)
    // The call goes on after the recording: the frames it tapped (Carol's to Alice, Alice's to Carol) still flow.
    for (const p of [alice.page, carol.page]) await expectVideoKeepsPlaying(p, 30_000)

    const streams = (await streamFacts(file)).filter((s) => s.codec_type === 'video' || s.codec_type === 'audio')
    console.log(`joined at ${joinedAt.toFixed(2)} s, left at ${leftAt.toFixed(2)} s; tracks: ${JSON.stringify(streams)}`)
    console.log(alice.consoleLines.filter((l) => l.includes('[recording]')).join('\n'))
    const of = (title: string, type: 'video' | 'audio') => streams.find((s) => s.title === title && s.codec_type === type)!
    expect(streams.map((s) => [s.title, s.codec_type])).toEqual([
      ['Alice', 'video'],
      ['Alice', 'audio'],
      ['Bob', 'video'],
      ['Bob', 'audio'],
      ['Carol', 'video'],
      ['Carol', 'audio']
    ])
    const end = of('Alice', 'video').last
    // Carol's tracks begin after her click, not at the start of the file.
    for (const type of ['video', 'audio'] as const) expect(of('Carol', type).first).toBeGreaterThanOrEqual(joinedAt)
    // Bob's end when he leaves, seconds before the others.
    for (const type of ['video', 'audio'] as const) {
      expect(of('Bob', type).first).toBeLessThan(1)
      expect(of('Bob', type).last).toBeLessThan(end - 3)
      expect(of('Bob', type).last).toBeGreaterThan(leftAt - 1)
    }
    // Alice's own video (from what her link to Bob sent, then her link to Carol) runs from start
    // to end with no hole longer than a second where Bob's link went.
    const times = await packetTimes(file, of('Alice', 'video').index)
    const longestGap = Math.max(...times.slice(1).map((t, i) => t - times[i]!))
    console.log(`Alice's video: ${times.length} frames, ${times[0]} .. ${times.at(-1)} s, longest gap ${longestGap.toFixed(2)} s`)
    expect(times[0]).toBeLessThan(1)
    expect(end).toBeGreaterThan(leftAt + 4)
    expect(longestGap).toBeLessThan(1)
    expect(await playableSeconds(file)).toBeGreaterThan(leftAt + 3)
    expect([...alice.pageErrors, ...carol.pageErrors]).toEqual([])
  }, 300_000)

  it("the recorder's host killed (SIGKILL) 8 s in: after a restart every track plays to within 2 s of the kill and the recording is listed", async () => {
    harness = new Harness()
    const recordingsDir = harness.tempDir('dym-tracks-recordings-')
    const env = { DYM_RECORDINGS_DIR: recordingsDir }
    const alice = await harness.addPeer({ env })
    const bob = await harness.addPeer()
    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob')])
    const invite = await startMeeting(alice.page, 'Killed take')
    await joinMeeting(bob.page, invite)
    for (const p of [alice.page, bob.page]) await expectLiveRemoteTiles(p, 1, 30_000)
    await alice.page.getByTestId('control-record').click()
    await alice.page.getByTestId('my-recording-elapsed').waitFor({ timeout: 30_000 })
    await toast(bob.page, 'Alice is recording this meeting').getByRole('button', { name: 'I agree' }).click({ timeout: 30_000 })
    await toast(alice.page, 'Bob agreed to be in your recording').waitFor({ timeout: 30_000 })
    // 8 s by the recorder's own clock, watched in her page; then the whole host goes at once.
    await untilRecorded(alice.page, 8, 60_000)
    const killedAtSec = await recordedSeconds(alice.page)
    await alice.host.kill()
    const name = readdirSync(recordingsDir).find((n) => n.endsWith('.mkv'))
    expect(name).toMatch(/_Killed-take\.mkv$/)

    const again = await harness.startHost({ dataDir: alice.host.dataDir, env })
    const client = await CoreClient.connect(again)
    try {
      const { recordings } = await client.invoke('recording.list', {})
      expect(recordings.map((r) => [r.name, r.status, r.path])).toEqual([[name, 'recovered', 'tracks']])
      expect(recordings[0]?.tracks.map((t) => [t.kind, t.title])).toEqual([
        ['video', 'Alice'],
        ['audio', 'Alice'],
        ['video', 'Bob'],
        ['audio', 'Bob']
      ])
    } finally {
      client.close()
    }
    // The media tracks (Bob's signed "I agree" came through the crash: the log is attached too).
    const facts = await streamFacts(path.join(recordingsDir, name!))
    expect(facts.filter((s) => s.codec_type === 'attachment')).toHaveLength(1)
    const streams = facts.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio')
    console.log(
      `killed at ${killedAtSec} s; tracks end at ${streams.map((s) => `${s.title} ${s.codec_type} ${s.last.toFixed(2)} s`).join(', ')}`
    )
    for (const s of streams) expect(s.last).toBeGreaterThanOrEqual(killedAtSec - 2)
    expect(await playableSeconds(path.join(recordingsDir, name!))).toBeGreaterThanOrEqual(killedAtSec - 2)
    expect(readdirSync(recordingsDir)).toEqual([name])
  }, 240_000)
})
