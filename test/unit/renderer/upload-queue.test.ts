import { describe, expect, it } from 'vitest'
import { MAX_QUEUED_BYTES, UploadQueue } from '../../../src/renderer/features/recording/upload-queue'

/** A core that accepts each piece only when the test says so. */
function slowCore() {
  const sent: number[] = []
  const waiting: Array<(ok: boolean) => void> = []
  const failing: Array<(err: Error) => void> = []
  const send = (n: number) =>
    new Promise<boolean>((resolve, reject) => {
      sent.push(n)
      waiting.push(resolve)
      failing.push(reject)
    })
  const accept = () => {
    failing.shift()
    waiting.shift()!(true)
  }
  const refuse = (err: Error) => {
    waiting.shift()
    failing.shift()!(err)
  }
  return { sent, send, accept, refuse, pending: () => waiting.length }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('a recording upload queue', () => {
  it('sends in order, each piece only once the one before was accepted', async () => {
    const core = slowCore()
    const queue = new UploadQueue<number>({ size: () => 1, send: core.send, onOverflow: () => undefined, onError: async () => undefined })
    for (const n of [1, 2, 3]) queue.push(n)
    await tick()
    expect(core.sent).toEqual([1])
    core.accept()
    await tick()
    expect(core.sent).toEqual([1, 2])
    core.accept()
    await tick()
    core.accept()
    await queue.drained()
    expect(core.sent).toEqual([1, 2, 3])
  })

  it('gives up when more than its limit waits, and stops at the first error (drained waits for its handling)', async () => {
    const core = slowCore()
    let overflowed = 0
    const errors: string[] = []
    const queue = new UploadQueue<number>({
      size: (n) => n,
      send: core.send,
      onOverflow: () => overflowed++,
      onError: async (err) => {
        await tick()
        errors.push((err as Error).message)
      }
    })
    queue.push(MAX_QUEUED_BYTES / 2)
    queue.push(MAX_QUEUED_BYTES / 2)
    expect(overflowed).toBe(0)
    queue.push(1)
    expect(overflowed).toBe(1)
    await tick()
    core.refuse(new Error('the disk is full'))
    await queue.drained()
    expect(errors).toEqual(['the disk is full'])
    expect(core.sent).toEqual([MAX_QUEUED_BYTES / 2])
  })

  it('a piece the sender says is not for now stays queued; a clear while one is on its way forgets the rest', async () => {
    let ready = false
    const sent: number[] = []
    const queue = new UploadQueue<number>({
      size: () => 1,
      send: async (n) => {
        if (!ready) return false
        sent.push(n)
        if (n === 1) queue.clear()
        return true
      },
      onOverflow: () => undefined,
      onError: async () => undefined
    })
    queue.push(1)
    await queue.drained()
    expect(sent).toEqual([])
    ready = true
    queue.push(2)
    await queue.drained()
    expect(sent).toEqual([1])
  })
})
