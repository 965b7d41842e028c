import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import type { ChatMessage, Member, Notice, PersonView, RoomRules, RoomView, SignalPayload } from '../../src/shared/contract/index'

/**
 * A stand-in for the core's room service, at the contract level, for testing the meeting UI
 * before (and independently of) the libp2p core: the page's `window.dym` keeps talking to its
 * real host for everything else, but room.*, signal.*, chat.* and notice.* go to this hub in the
 * test process (through a Playwright binding) and its events come back the same way. Pages on
 * different hosts (different origins) can meet through it. WebRTC media is real.
 */
const SHIM = `(() => {
  const FAKE = /^(room|signal|chat|notice)\\./
  const listeners = new Map()
  let wrapped
  window.__dymFakeEmit = (batch) => { for (const [event, payload] of batch) for (const l of listeners.get(event) ?? []) l(payload) }
  Object.defineProperty(window, 'dym', {
    configurable: true,
    get() { return wrapped },
    set(real) {
      wrapped = Object.freeze({
        invoke(method, request) {
          if (!FAKE.test(method)) return real.invoke(method, request)
          return window.__dymFakeRooms(method, request).then((r) => { if (r.ok) return r.value; throw r.error })
        },
        on(event, listener) {
          if (!FAKE.test(event)) return real.on(event, listener)
          const set = listeners.get(event) ?? new Set()
          listeners.set(event, set)
          set.add(listener)
          return () => set.delete(listener)
        }
      })
    }
  })
})()`

interface FakePeer {
  key: number
  page: Page
  person: PersonView
  roomId: string | null
  seq: number
  /** events waiting for the page; delivered in batches, one evaluate per batch */
  outbox: Array<[string, unknown]>
  sending: boolean
}

interface FakeMember {
  peer: FakePeer
  joinedAt: number
  muted: boolean
  cameraOff: boolean
  handRaised: boolean
  isCreator: boolean
}

interface FakeRoom {
  roomId: string
  title: string
  rules: RoomRules
  invite: string
  members: Map<number, FakeMember>
  chat: ChatMessage[]
  createdAt: number
}

class HubError {
  constructor(
    readonly code: string,
    readonly message: string
  ) {}
}

export class FakeRoomHub {
  private readonly peers = new Map<number, FakePeer>()
  private readonly rooms = new Map<string, FakeRoom>()
  private nextKey = 1

  /**
   * Route a page's rooms through this hub. Reloads the page so the shim is in place before the
   * app starts. `peerId` lets a restarted app come back as the same member.
   */
  async attach(page: Page, person: { displayName: string; verification?: PersonView['verification']; peerId?: string; name?: string }): Promise<PersonView> {
    const key = this.nextKey++
    const peerId = person.peerId ?? `12D3KooWFake${randomBytes(12).toString('hex')}`
    const view: PersonView = { peerId, displayName: person.displayName, verification: person.verification ?? 'guest', fingerprint: randomBytes(4).toString('hex'), ...(person.name ? { name: person.name } : {}) }
    const peer: FakePeer = { key, page, person: view, roomId: null, seq: 0, outbox: [], sending: false }
    this.peers.set(key, peer)
    await page.exposeBinding('__dymFakeRooms', async (_source, method: string, request: unknown) => {
      try {
        return { ok: true, value: await this.handle(peer, method, request as Record<string, unknown>) }
      } catch (err) {
        const e = err instanceof HubError ? err : new HubError('internal', String(err))
        return { ok: false, error: { code: e.code, message: e.message } }
      }
    })
    await page.addInitScript(SHIM)
    // A closed page is a crashed app: the others see the member go at once.
    page.once('close', () => this.drop(peer))
    await page.reload()
    return view
  }

  private async handle(peer: FakePeer, method: string, req: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'room.create': {
        const roomId = randomBytes(32).toString('hex')
        const room: FakeRoom = { roomId, title: String(req.title ?? ''), rules: (req.rules as RoomRules | undefined) ?? { mode: 'open' }, invite: `dym://join/fake-${roomId}`, members: new Map(), chat: [], createdAt: Date.now() }
        this.rooms.set(roomId, room)
        return this.enter(peer, room, true)
      }
      case 'room.join': {
        const match = /fake-([0-9a-f]{64})/.exec(String(req.invite))
        const room = match ? this.rooms.get(match[1]!) : undefined
        if (!room) throw new HubError('not-found', 'No such meeting')
        return this.enter(peer, room, false)
      }
      case 'room.leave':
        this.drop(peer)
        return { ok: true }
      case 'room.current': {
        const room = peer.roomId ? this.rooms.get(peer.roomId) : undefined
        return room ? this.viewFor(room, peer) : null
      }
      case 'room.admit':
        return { ok: true }
      case 'signal.send': {
        const room = this.roomOf(peer, req.roomId)
        const target = [...room.members.values()].find((m) => m.peer.person.peerId === req.to)
        if (!target) throw new HubError('not-found', 'That member is not in the meeting')
        this.emit(target.peer, 'signal.received', { roomId: room.roomId, from: peer.person.peerId, signal: req.signal as SignalPayload })
        return { ok: true }
      }
      case 'chat.send': {
        const room = this.roomOf(peer, req.roomId)
        const message: ChatMessage = { id: randomBytes(8).toString('hex'), roomId: room.roomId, from: peer.person, text: String(req.text).trim(), sentAt: Date.now(), seq: peer.seq++ }
        room.chat.push(message)
        for (const m of room.members.values()) if (m.peer !== peer) this.emit(m.peer, 'chat.message', message)
        return message
      }
      case 'chat.history':
        // Kept per room after everyone left, as the core keeps it on disk.
        return this.rooms.get(String(req.roomId))?.chat ?? []
      case 'notice.send': {
        const room = this.roomOf(peer, req.roomId)
        const notice = req.notice as Notice
        const self = room.members.get(peer.key)
        if (self && notice.kind === 'media') Object.assign(self, { muted: notice.muted, cameraOff: notice.cameraOff })
        if (self && notice.kind === 'hand') self.handRaised = notice.raised
        for (const m of room.members.values()) if (m.peer !== peer) this.emit(m.peer, 'notice.received', { roomId: room.roomId, from: peer.person, notice, at: Date.now() })
        if (notice.kind === 'media' || notice.kind === 'hand') this.broadcast(room, peer)
        return { ok: true }
      }
      default:
        throw new HubError('unknown-method', `${method} is not in the fake room hub`)
    }
  }

  private enter(peer: FakePeer, room: FakeRoom, creator: boolean): RoomView {
    if (peer.roomId && peer.roomId !== room.roomId) this.drop(peer)
    peer.roomId = room.roomId
    room.members.set(peer.key, { peer, joinedAt: Date.now(), muted: false, cameraOff: false, handRaised: false, isCreator: creator })
    this.broadcast(room, peer)
    return this.viewFor(room, peer)
  }

  private drop(peer: FakePeer): void {
    const room = peer.roomId ? this.rooms.get(peer.roomId) : undefined
    peer.roomId = null
    if (!room) return
    room.members.delete(peer.key)
    this.broadcast(room, peer)
  }

  private roomOf(peer: FakePeer, roomId: unknown): FakeRoom {
    const room = peer.roomId === roomId ? this.rooms.get(String(roomId)) : undefined
    if (!room) throw new HubError('not-found', 'You are not in that meeting')
    return room
  }

  private member(m: FakeMember): Member {
    return { ...m.peer.person, route: 'direct', presence: 'present', muted: m.muted, cameraOff: m.cameraOff, handRaised: m.handRaised, isCreator: m.isCreator }
  }

  private viewFor(room: FakeRoom, peer: FakePeer): RoomView {
    const self = room.members.get(peer.key)
    return {
      roomId: room.roomId,
      title: room.title,
      invite: room.invite,
      rules: room.rules,
      self: self ? this.member(self) : { ...peer.person, route: 'direct', presence: 'present', muted: false, cameraOff: false, handRaised: false, isCreator: false },
      members: [...room.members.values()].map((m) => this.member(m)),
      recording: null,
      joinedAt: self?.joinedAt ?? Date.now()
    }
  }

  /** room.updated to everyone in the room but `except`. */
  private broadcast(room: FakeRoom, except: FakePeer): void {
    for (const m of room.members.values()) if (m.peer !== except) this.emit(m.peer, 'room.updated', this.viewFor(room, m.peer))
  }

  /** Events to one page, in order; whatever piles up while one batch is in flight goes in the next. */
  private emit(peer: FakePeer, event: string, payload: unknown): void {
    if (peer.page.isClosed()) return
    peer.outbox.push([event, payload])
    if (!peer.sending) void this.flush(peer)
  }

  private async flush(peer: FakePeer): Promise<void> {
    peer.sending = true
    while (peer.outbox.length > 0 && !peer.page.isClosed()) {
      const batch = peer.outbox.splice(0)
      await peer.page.evaluate((b) => (globalThis as unknown as { __dymFakeEmit: (b: unknown) => void }).__dymFakeEmit(b), batch).catch(() => undefined)
    }
    peer.sending = false
  }
}
