import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { PersonView } from '../../../shared/contract/people'
import type { Admission } from '../p2p/protocols/room/index'
import type { Emit } from '../service'
import type { ActiveRoom } from './active-room'

/**
 * The room's rules applied to a verified newcomer: open, listed (verified names on the list),
 * or ask-to-join (only the creator decides; the joiner is told it is waiting, the creator gets
 * `room.join-request` and answers with `room.admit`).
 */
export async function decideAdmission(
  room: ActiveRoom,
  peer: PeerId,
  person: PersonView,
  wait: (reason: string) => Promise<void>,
  options: AbortOptions,
  emit: Emit
): Promise<Admission> {
  const rules = room.rules
  if (rules.mode === 'open') return { ok: true }
  if (rules.mode === 'listed') {
    if (person.verification === 'verified' && person.name && rules.names.includes(person.name)) return { ok: true }
    return {
      ok: false,
      code: 'not-listed',
      reason: person.name
        ? `${person.name} is not on this meeting's guest list`
        : 'This meeting is only for the people on its guest list: sign in with your 3Bot to join'
    }
  }
  if (!room.isCreator) return { ok: false, code: 'no-host', reason: 'Only the host can let you in' }
  const id = peer.toString()
  if (room.pending.size >= 20 && !room.pending.has(id))
    return { ok: false, code: 'busy', reason: 'Too many people are waiting to be let in' }
  await wait('Waiting for the host to let you in')
  room.pending.get(id)?.decide({ ok: false, code: 'declined', reason: 'You asked again from elsewhere' })
  const admission = await new Promise<Admission>((resolve) => {
    const onAbort = () => resolve({ ok: false, code: 'declined', reason: 'The host did not answer in time' })
    options.signal?.addEventListener('abort', onAbort, { once: true })
    room.pending.set(id, {
      peer,
      person,
      decide: (a) => {
        options.signal?.removeEventListener('abort', onAbort)
        resolve(a)
      }
    })
    emit('room.join-request', { roomId: room.roomId, person })
  })
  room.pending.delete(id)
  if (admission.ok) {
    room.admitted.add(id)
    for (const s of room.liveSessions()) s.send({ t: 'admitted', peerId: id }).catch(() => undefined)
  }
  return admission
}
