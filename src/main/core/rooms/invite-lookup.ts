import { setTimeout as pause } from 'node:timers/promises'
import type { PeerId } from '@libp2p/interface'
import { DymError } from '../../../shared/contract/errors'
import { parseInvite } from '../../../shared/invite'
import { inviteCodeOf, readInviteCode } from '../../../shared/invite-code'
import type { AppNode } from '../p2p/node'
import { askForInvite, codeKey, codeRendezvousCid, InviteRefusedError } from '../p2p/protocols/invite/index'

/** Long enough for a DHT lookup through a relay on a slow link; the person is waiting on it. */
export const FIND_INVITE_DEADLINE_MS = 15_000
/** New peers on the LAN announce themselves within a few seconds (mDNS): wait that long for them. */
const LAN_WAIT_MS = 5_000
/** Peers asked at most per lookup: a LAN full of devices is not asked one by one forever. */
const MAX_ASKED = 64

export interface FindInviteOptions {
  node: AppNode
  /** what the person typed */
  code: string
  /** peers seen on the LAN (mDNS) and elsewhere */
  knownPeers: PeerId[]
  signal?: AbortSignal
  deadlineMs?: number
  /** how long to wait for peers to show up on the LAN; 0 when mDNS is off */
  lanWaitMs?: number
}

/**
 * The full invite of the meeting with this short code. Asks, all at once, every peer we are
 * connected to or have seen on the LAN, and those the DHT names for the code; the first invite
 * whose room key gives the same code wins (a peer cannot hand us another meeting's).
 */
export async function findInviteByCode(o: FindInviteOptions): Promise<string> {
  const code = readInviteCode(o.code)
  if (!code) throw new DymError('bad-request', 'A meeting code has 10 letters and digits, like K7QM-2XPD-9F')
  const key = await codeKey(code)
  const done = new AbortController()
  const signal = AbortSignal.any([
    done.signal,
    AbortSignal.timeout(o.deadlineMs ?? FIND_INVITE_DEADLINE_MS),
    ...(o.signal ? [o.signal] : [])
  ])
  const asked = new Set<string>([o.node.peerId.toString()])
  let running = 0
  let busy = false
  let sourcesDone = false

  return await new Promise<string>((resolve, reject) => {
    const finish = () => {
      if (done.signal.aborted) return
      done.abort()
      reject(notFound(busy))
    }
    signal.addEventListener('abort', finish, { once: true })
    const settleIfIdle = () => {
      if (sourcesDone && running === 0) finish()
    }
    const ask = (peer: PeerId) => {
      const id = peer.toString()
      if (asked.has(id) || asked.size > MAX_ASKED || signal.aborted) return
      asked.add(id)
      running++
      askForInvite(o.node, peer, key, signal)
        .then((text) => {
          const invite = parseInvite(text)
          if (inviteCodeOf(invite.roomKey) !== code) throw new Error(`${id} answered with another meeting's invite`)
          if (done.signal.aborted) return
          done.abort()
          resolve(text)
        })
        .catch((err: unknown) => {
          if (err instanceof InviteRefusedError && err.code !== 'unknown') busy = true
        })
        .finally(() => {
          running--
          settleIfIdle()
        })
    }
    const discovered = (evt: CustomEvent<{ id: PeerId }>) => ask(evt.detail.id)
    o.node.addEventListener('peer:discovery', discovered)
    done.signal.addEventListener('abort', () => o.node.removeEventListener('peer:discovery', discovered), { once: true })
    for (const c of o.node.getConnections()) ask(c.remotePeer)
    for (const peer of o.knownPeers) ask(peer)
    const lanWait = o.lanWaitMs ?? LAN_WAIT_MS
    void Promise.all([
      lookUpDht(o.node, codeRendezvousCid(key), signal, ask),
      pause(lanWait, undefined, { signal }).catch(() => undefined)
    ]).finally(() => {
      sourcesDone = true
      settleIfIdle()
    })
  })
}

async function lookUpDht(node: AppNode, cid: ReturnType<typeof codeRendezvousCid>, signal: AbortSignal, onPeer: (peer: PeerId) => void) {
  if (!node.services.dht) return
  try {
    for await (const provider of node.contentRouting.findProviders(cid, { signal })) {
      // A member behind a NAT is named with its addresses through a relay: keep them to dial.
      if (provider.multiaddrs.length > 0)
        await node.peerStore.merge(provider.id, { multiaddrs: provider.multiaddrs }).catch(() => undefined)
      onPeer(provider.id)
    }
  } catch {
    // the lookup ended (no DHT peers, the deadline): whoever was found is being asked
  }
}

function notFound(busy: boolean): DymError {
  if (busy)
    return new DymError(
      'unavailable',
      'The meeting was found but is answering too many codes just now: wait a minute, or ask for the invite link.'
    )
  return new DymError(
    'not-found',
    'No meeting answered to this code. Check the code; a code works on your own network or through a relay set in Settings, otherwise ask for the invite link.'
  )
}
