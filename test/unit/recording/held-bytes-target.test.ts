import { describe, expect, it } from 'vitest'
import { HeldBytesTarget } from '../../../src/main/core/recorder/tracks/held-bytes-target'

/** Applies runs to a file image the way the track file writes them (in order, at their positions). */
function apply(file: Uint8Array, runs: ReturnType<HeldBytesTarget['take']>): Uint8Array {
  let out = file
  for (const run of runs) {
    const end = run.position + run.bytes.byteLength
    if (end > out.byteLength) {
      const bigger = new Uint8Array(end)
      bigger.set(out)
      out = bigger
    }
    out.set(run.bytes, run.position)
  }
  return out
}

describe('the bytes a track muxer writes, held until the next batch is written', () => {
  it('gives back what was written, with sizes filled in later and behind a taken batch, and the muxer may reuse its buffers', () => {
    const target = new HeldBytesTarget()
    const scratch = new Uint8Array(4)
    const write = (position: number, ...bytes: number[]) => {
      scratch.set(bytes)
      target._write(scratch.subarray(0, bytes.length), position)
      scratch.fill(0xee) // the muxer reuses its buffer at once
    }
    write(0, 1, 2)
    write(4, 5, 6) // a gap the muxer fills in next
    write(2, 3, 4)
    let file = apply(new Uint8Array(0), target.take())
    expect([...file]).toEqual([1, 2, 3, 4, 5, 6])
    write(6, 7)
    write(1, 9) // a size behind what was already taken
    write(10, 11) // a gap that stays zeros until filled
    file = apply(file, target.take())
    expect([...file]).toEqual([1, 9, 3, 4, 5, 6, 7, 0, 0, 0, 11])
    expect(target.take()).toEqual([])
  })

  it('keeps a batch larger than its first buffer whole', () => {
    const target = new HeldBytesTarget()
    const big = new Uint8Array(200_000).map((_, i) => i % 251)
    target._write(big.subarray(0, 1000), 0)
    target._write(big.subarray(1000), 1000)
    const runs = target.take()
    expect(runs).toHaveLength(1)
    expect(runs[0]!.bytes).toEqual(big)
  })
})
