import { describe, expect, it } from 'vitest'
import { pickOwnSend, type OwnSend } from '../../../src/renderer/features/recording/tracks/own-senders'

/** a sender stands for itself: only who it is matters */
const send = (peerId: string, pixels: number): OwnSend<object> => ({ sender: {}, peerId, pixels })
const none = () => false

describe('which link our own camera is recorded from', () => {
  it('takes the link that sends the biggest picture, and nothing when no link sends', () => {
    const small = send('bob', 320 * 180)
    const big = send('carol', 1280 * 720)
    expect(pickOwnSend([small, big], null, none)).toBe(big)
    expect(pickOwnSend([], null, none)).toBeNull()
  })

  it('keeps the link it records from while that still sends, even when another shows us bigger', () => {
    const small = send('bob', 320 * 180)
    const big = send('carol', 1280 * 720)
    expect(pickOwnSend([big, small], small.sender, none)).toBe(small)
    // Gone (left, or our tile is off their screen): the biggest of the rest.
    expect(pickOwnSend([big], small.sender, none)).toBe(big)
  })

  it('passes over a link that gave no key frame when asked', () => {
    const silent = send('bob', 1280 * 720)
    const other = send('carol', 320 * 180)
    expect(pickOwnSend([silent, other], silent.sender, (s) => s === silent.sender)).toBe(other)
    expect(pickOwnSend([silent], null, (s) => s === silent.sender)).toBeNull()
  })
})
