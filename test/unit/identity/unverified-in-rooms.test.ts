import { describe, expect, it } from 'vitest'
import { startCore } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import type { EventName, EventOf, MethodName, RequestOf, ResponseOf } from '../../../src/shared/contract/index'
import { FAST_TUNING, LOOPBACK } from '../../support/room-members'
import { useStandinCores } from '../../support/threefold-standin/use-standin'
import { ALICE, BOB } from '../../support/threefold-standin/test-identities'

/**
 * Issue 17 #2 in a real meeting: with the ThreeFold directory unreachable, someone presenting a
 * 3Bot credential that nobody could check must not be taken for that 3Bot user, neither by an
 * ask-to-join host nor by a guest list naming the user.
 */
const env = useStandinCores()

async function member(who: typeof ALICE) {
  const dataDir = env.dataDir('dym-unverified-')
  const core = env.track(
    await startCore({ dataDir, hostKind: 'headless', log: memoryLogger(), rooms: { network: LOOPBACK, tuning: FAST_TUNING } })
  )
  const events: Array<{ event: EventName; payload: unknown }> = []
  core.onEvent((event, payload) => events.push({ event, payload }))
  const call = async <M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> => {
    const res = await core.invoke(method, request, { id: 't' })
    if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code })
    return res.value as ResponseOf<M>
  }
  await call('identity.restore', { name: who.name, words: who.mnemonic })
  await core.rooms!.whenReady()
  /** The first event (already seen or still to come) that matches, within the time. */
  const next = <E extends EventName>(event: E, match: (payload: EventOf<E>) => boolean = () => true, timeoutMs = 15_000) =>
    new Promise<EventOf<E>>((resolve, reject) => {
      const hit = (e: string, payload: unknown) => e === event && match(payload as EventOf<E>)
      const seen = events.find((e) => hit(e.event, e.payload))
      if (seen) return resolve(seen.payload as EventOf<E>)
      const timer = setTimeout(() => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)), timeoutMs)
      const off = core.onEvent((e: string, payload: unknown) => {
        if (!hit(e, payload)) return
        clearTimeout(timer)
        off()
        resolve(payload as EventOf<E>)
      })
    })
  return { core, call, next, events }
}

describe('a 3Bot name nobody could check, in a meeting', () => {
  it('an ask-to-join host is asked about a guest, not about alice.3bot, and sees a guest once admitted', async () => {
    const bob = await member(BOB)
    const alice = await member(ALICE)
    env.standin.setDirectoryFault({ kind: 'server-error' })
    const room = await bob.call('room.create', { title: 'Ask first', rules: { mode: 'ask' } })
    const asked = bob.next('room.join-request')
    const joined = alice.call('room.join', { invite: room.invite })
    const request = await asked
    expect(request.person).toMatchObject({
      displayName: 'alice',
      verification: 'guest',
      warning: expect.stringContaining('could not be checked')
    })
    expect(request.person).not.toHaveProperty('name')
    await bob.call('room.admit', { roomId: room.roomId, peerId: request.person.peerId, admit: true })
    await joined
    const view = await bob.next('room.updated', (v) => v.members.some((m) => m.peerId === request.person.peerId))
    const seen = view.members.find((m) => m.peerId === request.person.peerId)
    expect(seen).toMatchObject({ displayName: 'alice', verification: 'guest' })
    expect(seen).not.toHaveProperty('name')
  })

  it('a guest list naming alice.3bot does not let in an alice.3bot nobody could check', async () => {
    const bob = await member(BOB)
    const alice = await member(ALICE)
    env.standin.setDirectoryFault({ kind: 'server-error' })
    const room = await bob.call('room.create', { title: 'Listed', rules: { mode: 'listed', names: ['alice.3bot'] } })
    await expect(alice.call('room.join', { invite: room.invite })).rejects.toMatchObject({ code: 'denied' })
    const view = await bob.call('room.current', {})
    expect(view?.members ?? []).toEqual([])
  })
})
