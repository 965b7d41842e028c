import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LinkRestarts, type RestartSide } from '../../../src/renderer/features/call/link-restarts'
import type { SignalPayload } from '../../../src/shared/contract/rooms'

/** The impolite side of a link that has been connected: what it sends, and how often it restarted ICE. */
function impoliteSide(): { side: RestartSide; sent: SignalPayload[]; restarts: () => number } {
  const sent: SignalPayload[] = []
  const restartIce = vi.fn()
  const pc = {
    iceConnectionState: 'connected',
    localDescription: { type: 'offer', sdp: 'v=0\r\na=ice-ufrag:ours1\r\n' },
    restartIce
  } as unknown as RTCPeerConnection
  const side: RestartSide = {
    pc,
    polite: false,
    label: 'bob',
    state: () => 'connected',
    setState: () => undefined,
    send: (signal) => void sent.push(signal),
    remoteUfrag: () => null,
    later: () => undefined,
    renew: () => false,
    log: () => undefined,
    disconnectGraceMs: 2_000,
    connectTimeoutMs: 10_000,
    maxIceRestarts: 5
  }
  return { side, sent, restarts: () => restartIce.mock.calls.length }
}

/** The restart logic of a connected link on the impolite side; closed after each test. */
let opened: LinkRestarts[] = []
function connectedLink(): { links: LinkRestarts; restarts: () => number } {
  const { side, restarts } = impoliteSide()
  const links = new LinkRestarts(side)
  links.connected()
  opened.push(links)
  return { links, restarts }
}

let now = 0
beforeEach(() => {
  now = 1_000
  vi.spyOn(performance, 'now').mockImplementation(() => now)
})
afterEach(() => {
  for (const links of opened) links.close()
  opened = []
  vi.restoreAllMocks()
})

describe('ICE restarts asked for by the other side', () => {
  it('restarts once for two asks in a row, and again when the first restart was never answered', () => {
    const { links, restarts } = connectedLink()
    links.onRequest('ours1')
    links.onRequest('ours1')
    expect(restarts()).toBe(1)
    // Our restart's offer was lost: a later ask is not swallowed by it.
    now += 6_000
    links.onRequest('ours1')
    expect(restarts()).toBe(2)
  })

  it('makes a new restart for an ask after the last one was answered', () => {
    const { links, restarts } = connectedLink()
    links.onRequest('ours1')
    links.answered()
    now += 100
    links.onRequest('ours1')
    expect(restarts()).toBe(2)
  })

  it('takes an ask that names an ICE username we no longer use as already answered', () => {
    const { links, restarts } = connectedLink()
    links.onRequest('old-ufrag')
    expect(restarts()).toBe(0)
  })
})
