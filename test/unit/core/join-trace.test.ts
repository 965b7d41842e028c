import { describe, expect, it } from 'vitest'
import { JoinTrace } from '../../../src/main/core/join-trace'

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } }
const candidate = { kind: 'candidate', candidate: null }

describe('the core side of a join, for the join bench', () => {
  it('writes each step once, with its time, and only what a join waits on', () => {
    const lines: string[] = []
    const trace = new JoinTrace((line) => lines.push(line))
    trace.request('room.join', { invite: 'dym://join/x' })
    trace.answered('room.join', { invite: 'dym://join/x' })
    trace.request('signal.send', { roomId: 'r', to: 'PEER', signal: offer })
    trace.request('signal.send', { roomId: 'r', to: 'PEER', signal: candidate })
    trace.request('signal.send', { roomId: 'r', to: 'PEER', signal: candidate })
    trace.event('signal.received', { roomId: 'r', from: 'PEER', signal: offer })
    trace.event('room.updated', { members: [{}, {}] })
    trace.request('chat.send', { roomId: 'r', text: 'hi' })
    trace.event('chat.message', {})
    expect(lines.map((l) => l.replace(/^join-trace \d+ /, '').trim())).toEqual([
      'room.join asked',
      'room.join answered',
      'send offer PEER asked',
      'send candidate PEER asked',
      'received offer PEER',
      'room.updated 2'
    ])
    expect(lines.every((l) => /^join-trace \d{13} /.test(l))).toBe(true)
  })

  it('is off unless DYM_JOIN_TRACE=1', () => {
    expect(JoinTrace.fromEnv({})).toBeNull()
    expect(JoinTrace.fromEnv({ DYM_JOIN_TRACE: '1' })).toBeInstanceOf(JoinTrace)
  })
})
