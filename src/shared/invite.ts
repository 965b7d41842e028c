import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'

/**
 * Meeting invites: `dym://join/<roomId>?t=<title>&r=<relay addr>&a=<addr>&a=<addr>#<roomKey>`.
 *
 * The room key sits in the fragment, the part of a link that browsers, chat apps' link
 * previews and web servers never send anywhere; the room id is a hash of the key, so anything
 * that only sees the id learns nothing it could join with. The same link is the plain-text
 * form people paste; `parseInvite` also finds it inside a longer pasted message.
 * Pure: the Electron deep-link handler, the core and the renderer all use it.
 */
export const INVITE_SCHEME = 'dym:'
export const ROOM_KEY_BYTES = 32
export const MAX_INVITE_ADDRS = 12
export const MAX_INVITE_CHARS = 4096
const MAX_TITLE_CHARS = 120
const MAX_ADDR_CHARS = 400
/** Relays an invite may name, and addresses kept for each: a joiner dials them all at once. */
export const MAX_INVITE_RELAYS = 3
export const MAX_RELAY_ADDRS = 3
const ROOM_ID_DOMAIN = utf8ToBytes('dym/room-id/v1')

export interface Invite {
  /** 64 hex characters: sha256 of a domain tag and the room key */
  roomId: string
  /** 32 random bytes; whoever holds it may ask to join */
  roomKey: Uint8Array
  title: string
  /** multiaddrs of members (the creator first), each ending in /p2p/<peer id>; relay addresses too */
  addrs: string[]
  /**
   * The meeting's relays (`dym relay`): a joiner with no settings of its own reaches members
   * through them and asks them for STUN/TURN. Each address ends in /p2p/<the relay's peer id>.
   */
  relays: InviteRelay[]
}

/** A relay as an invite names it. */
export interface InviteRelay {
  peerId: string
  addrs: string[]
}

/** A malformed invite. `message` is written for the person who pasted it. */
export class InviteError extends Error {
  override readonly name = 'InviteError'
}

export function roomIdFromKey(roomKey: Uint8Array): string {
  if (roomKey.length !== ROOM_KEY_BYTES) throw new InviteError(`A room key is ${ROOM_KEY_BYTES} bytes`)
  return bytesToHex(sha256(concatBytes(ROOM_ID_DOMAIN, roomKey)))
}

export function encodeInvite(invite: Omit<Invite, 'relays'> & { relays?: InviteRelay[] }): string {
  if (roomIdFromKey(invite.roomKey) !== invite.roomId) throw new InviteError('The room id does not belong to this room key')
  const head = `dym://join/${invite.roomId}`
  const key = `#${base64urlnopad.encode(invite.roomKey)}`
  const query: string[] = []
  const title = invite.title.trim().slice(0, MAX_TITLE_CHARS)
  if (title) query.push(`t=${encodeURIComponent(title)}`)
  let length = head.length + key.length + query.join('&').length + 1
  // Relays first (without one, nobody behind another NAT gets in), then member addresses, while
  // they fit: an invite must stay pasteable.
  const relayAddrs = (invite.relays ?? [])
    .slice(0, MAX_INVITE_RELAYS)
    .flatMap((r) => r.addrs.slice(0, MAX_RELAY_ADDRS).map((a) => withPeerId(a, r.peerId)))
  for (const addr of relayAddrs) {
    const part = `r=${encodeURIComponent(addr)}`
    if (length + part.length + 1 > MAX_INVITE_CHARS) break
    query.push(part)
    length += part.length + 1
  }
  for (const addr of invite.addrs.slice(0, MAX_INVITE_ADDRS)) {
    const part = `a=${encodeURIComponent(addr)}`
    if (length + part.length + 1 > MAX_INVITE_CHARS) break
    query.push(part)
    length += part.length + 1
  }
  return `${head}${query.length ? '?' + query.join('&') : ''}${key}`
}

const LINK_IN_TEXT = /dym:\/\/join\/[^\s<>"'`]+/i

/** Read an invite link, or a pasted message containing one. Throws InviteError with a reason. */
export function parseInvite(text: string): Invite {
  if (typeof text !== 'string' || text.trim() === '') throw new InviteError('Paste an invite link: it starts with dym://join/')
  if (text.length > MAX_INVITE_CHARS * 2) throw new InviteError('That is too long to be an invite link')
  const found = LINK_IN_TEXT.exec(text)
  if (!found) throw new InviteError('This is not a Digital You Meet invite: the link starts with dym://join/')
  const link = found[0].replace(/[).,;]+$/, '')
  if (link.length > MAX_INVITE_CHARS) throw new InviteError('That invite link is too long')

  const hashAt = link.indexOf('#')
  if (hashAt < 0) throw new InviteError('The invite is missing its room key (the part after #). Copy the whole link.')
  const keyText = link.slice(hashAt + 1)
  const beforeKey = link.slice(0, hashAt)
  const queryAt = beforeKey.indexOf('?')
  const path = queryAt < 0 ? beforeKey : beforeKey.slice(0, queryAt)
  const queryText = queryAt < 0 ? '' : beforeKey.slice(queryAt + 1)

  const roomId = path.slice('dym://join/'.length).replace(/\/$/, '').toLowerCase()
  if (!/^[0-9a-f]{64}$/.test(roomId)) throw new InviteError('The invite link is damaged: its room id is not 64 hex characters')

  let roomKey: Uint8Array
  try {
    roomKey = base64urlnopad.decode(keyText)
  } catch {
    throw new InviteError('The invite link is damaged: its room key cannot be read')
  }
  if (roomKey.length !== ROOM_KEY_BYTES) throw new InviteError('The invite link is damaged: its room key has the wrong length')
  if (roomIdFromKey(roomKey) !== roomId) throw new InviteError('The invite link is damaged: its room key does not match its room id')

  let title = ''
  const addrs: string[] = []
  const relays: InviteRelay[] = []
  let relayParams = 0
  for (const pair of queryText.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let value: string
    try {
      value = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1))
    } catch {
      throw new InviteError('The invite link is damaged: it has a broken %-escape')
    }
    if (name === 't') title = value.trim().slice(0, MAX_TITLE_CHARS)
    else if (name === 'a') {
      if (addrs.length >= MAX_INVITE_ADDRS) continue
      addrs.push(checkAddr(value, addrs.length + 1))
    } else if (name === 'r') {
      if (++relayParams > MAX_INVITE_RELAYS * MAX_RELAY_ADDRS) continue
      addRelay(relays, checkRelayAddr(value, relayParams))
    }
    // Unknown parameters are ignored, so later versions can add some.
  }
  return { roomId, roomKey, title, addrs, relays }
}

/** Group a relay address under its relay; more relays or addresses than the bounds are dropped. */
function addRelay(relays: InviteRelay[], addr: { peerId: string; addr: string }): void {
  const known = relays.find((r) => r.peerId === addr.peerId)
  if (known) {
    if (known.addrs.length < MAX_RELAY_ADDRS && !known.addrs.includes(addr.addr)) known.addrs.push(addr.addr)
  } else if (relays.length < MAX_INVITE_RELAYS) relays.push({ peerId: addr.peerId, addrs: [addr.addr] })
}

/** A relay is dialled itself: an address ending in /p2p/<its id>, not a circuit through another. */
function checkRelayAddr(text: string, position: number): { peerId: string; addr: string } {
  const problem = `Relay ${position} in the invite is not a relay address (it should end in /p2p/<peer id>)`
  if (text.length > MAX_ADDR_CHARS) throw new InviteError(`Relay ${position} in the invite is too long`)
  let components
  try {
    components = multiaddr(text).getComponents()
  } catch {
    throw new InviteError(problem)
  }
  const last = components.at(-1)
  const hasCircuit = components.some((c) => c.name === 'p2p-circuit')
  const peerIds = components.filter((c) => c.name === 'p2p').length
  if (last?.name !== 'p2p' || !last.value || hasCircuit || peerIds !== 1 || components.length < 2) throw new InviteError(problem)
  try {
    peerIdFromString(last.value)
  } catch {
    throw new InviteError(problem)
  }
  return { peerId: last.value, addr: multiaddr(text).toString() }
}

function withPeerId(addr: string, peerId: string): string {
  return addr.endsWith(`/p2p/${peerId}`) ? addr : `${addr.replace(/\/$/, '')}/p2p/${peerId}`
}

function checkAddr(text: string, position: number): string {
  if (text.length > MAX_ADDR_CHARS) throw new InviteError(`Address ${position} in the invite is too long`)
  try {
    const ma = multiaddr(text)
    if (!ma.toString().includes('/p2p/')) throw new Error('no peer id')
    return ma.toString()
  } catch {
    throw new InviteError(`Address ${position} in the invite is not a peer address (it should end in /p2p/<peer id>)`)
  }
}
