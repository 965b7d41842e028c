import { afterEach, it } from 'vitest'
import { FakeRoomHub } from '../support/fake-rooms'
import { Harness } from '../support/harness'
import { attributes, joinMeeting, shownFrames, startMeeting, tileOf } from '../support/meeting-steps'
let harness: Harness
afterEach(async () => harness.close())
it('debug', async () => {
  harness = new Harness()
  const hub = new FakeRoomHub()
  const host = await harness.startHost()
  const peers = await Promise.all([0, 1, 2].map(() => harness.addPeer({ host })))
  for (const p of peers) p.page.on('console', (m) => m.type() !== 'debug' && console.log(`[page${peers.indexOf(p)}] ${m.type()} ${m.text()}`))
  for (const [i, p] of peers.entries()) await hub.attach(p.page, { displayName: `P${i}` })
  const invite = await startMeeting(peers[0]!.page, 'Dbg')
  await Promise.all(peers.slice(1).map((p) => joinMeeting(p.page, invite)))
  await new Promise((r) => setTimeout(r, 8000))
  for (const p of peers) {
    const tiles = p.page.locator('[data-testid="tile"]')
    console.log(peers.indexOf(p), await attributes(tiles, 'data-peer-id'), await attributes(tiles, 'data-state'), await attributes(tiles, 'data-video'), await attributes(tiles, 'data-frames-decoded'))
    for (const id of await attributes(tiles, 'data-peer-id')) console.log('  frames', id.slice(-4), await shownFrames(tileOf(p.page, id)))
    await p.page.screenshot({ path: `test-results/dbg-${peers.indexOf(p)}.png` })
  }
})
