/**
 * Run by disk-full.test.ts in a child process whose recordings folder is on a tiny file
 * system (a 2 MiB tmpfs in a private mount namespace) or whose file size is capped (RLIMIT_FSIZE
 * via prlimit, where namespaces are not allowed). Records until the space runs out and prints
 * what a user would see as one JSON line. Not a test file itself.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { playableSeconds, sliceEvenly, webmFixture } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'

const { values } = parseArgs({ options: { full: { type: 'string' }, readonly: { type: 'string' } } })
const fullDir = values.full as string

async function main() {
  const fixture = await webmFixture({ seconds: 10, width: 1280, height: 720, kbps: 2500 })
  const rec = await new RecorderUnderTest({ folder: fullDir }).start()
  const result: Record<string, unknown> = {}
  try {
    const state = await rec.call('recording.start', { title: 'Disk full', participants: [{ id: 'a', name: 'alice.3bot' }] })
    const slices = sliceEvenly(fixture.bytes, 40)
    let accepted = 0
    let chunkError: string | null = null
    for (let seq = 0; seq < slices.length; seq++) {
      try {
        await rec.call('recording.chunk', { recordingId: state.recordingId, seq, bytes: slices[seq] as Uint8Array })
        accepted++
      } catch (err) {
        chunkError = (err as Error).message
        break
      }
    }
    const failed = await rec.waitForEvent('recording.state', (s) => s.phase === 'failed', 20_000).catch(() => null)
    const entry = await rec
      .call('recording.stop', { recordingId: state.recordingId })
      .catch((e: unknown) => ({ stopError: (e as Error).message }))
    const file = path.join(fullDir, state.name)
    Object.assign(result, {
      accepted,
      total: slices.length,
      chunkError,
      failedError: failed?.error ?? null,
      entry,
      playableSeconds: await playableSeconds(file).catch((e: unknown) => `unplayable: ${(e as Error).message}`),
      listed: (await rec.call('recording.list', {})).recordings.map((r) => r.name)
    })
  } catch (err) {
    result.unexpected = (err as Error).stack
  }
  if (values.readonly) {
    const ro = await new RecorderUnderTest({ folder: values.readonly }).start()
    result.readonlyStart = await ro.call('recording.start', { title: 'Read-only' }).then(
      () => 'started',
      (e: unknown) => ({ code: (e as { code?: string }).code, message: (e as Error).message })
    )
    await ro.close()
  }
  await rec.close()
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}

await main()
