import { chmodSync, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findFfmpeg, FfmpegNotFoundError } from '../../../src/main/core/recorder/find-ffmpeg'
import { sliceEvenly, webmFixture } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'

const scratch = mkdtempSync(path.join(os.tmpdir(), 'dym-ffmpeg-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const installerBinary = realpathSync('node_modules/@ffmpeg-installer/linux-x64/ffmpeg')
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64'

describe('finding ffmpeg', () => {
  it('takes DYM_FFMPEG as given, with the ffprobe next to it', async () => {
    const tools = await findFfmpeg({ env: { ...process.env, DYM_FFMPEG: '/usr/bin/ffmpeg' } })
    expect(tools).toMatchObject({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe', source: 'DYM_FFMPEG', canExport: true })
    expect(tools.version).toMatch(/^\d/)
  })

  it('reports a setting that does not work instead of quietly using another ffmpeg', async () => {
    await expect(findFfmpeg({ setting: '/nowhere/ffmpeg' })).rejects.toThrow(
      /setting points to \/nowhere\/ffmpeg, which cannot record: not an executable file/
    )
    const fake = path.join(scratch, 'ffmpeg-without-matroska')
    writeFileSync(fake, '#!/bin/sh\necho "ffmpeg version 0.1-fake"\n')
    chmodSync(fake, 0o755)
    await expect(findFfmpeg({ env: { PATH: '', DYM_FFMPEG: fake } })).rejects.toThrow(/lacks the WebM demuxer and the Matroska muxer/)
  })

  const hasFfmpegStatic = existsSync('node_modules/ffmpeg-static/package.json')
  if (hasFfmpegStatic) console.log('skipped: "system ffmpeg wins" (ffmpeg-static is installed here, and it comes first)')
  if (!onLinuxX64)
    console.log(`skipped: the @ffmpeg-installer fallback test (its binary is for linux-x64; this is ${process.platform}-${process.arch})`)
  it.skipIf(hasFfmpegStatic)(
    'without a setting: ffmpeg-static is not installed here, and the system ffmpeg wins over the bundled 4.1',
    async () => {
      const tools = await findFfmpeg({ env: { PATH: process.env.PATH } })
      expect(tools).toMatchObject({ ffmpeg: '/usr/bin/ffmpeg', source: 'PATH', ffprobe: '/usr/bin/ffprobe' })
    }
  )

  it.runIf(onLinuxX64)('with nothing on PATH it falls back to @ffmpeg-installer/ffmpeg, which has no ffprobe', async () => {
    const tools = await findFfmpeg({ env: { PATH: '' } })
    expect(tools).toMatchObject({ ffmpeg: installerBinary, source: '@ffmpeg-installer/ffmpeg', ffprobe: null, canExport: true })
  })

  it('with none at all, the error names what to install', async () => {
    const nowhere = path.join(scratch, 'no-packages', 'index.js')
    const err = await findFfmpeg({ env: { PATH: '' }, resolveFrom: nowhere }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FfmpegNotFoundError)
    expect((err as Error).message).toMatch(/Recording needs ffmpeg, and none was found.*apt-get install ffmpeg.*DYM_FFMPEG/)
  })

  it.runIf(onLinuxX64)('the bundled 4.1 records, and the list reads duration and metadata from `ffmpeg -i` without ffprobe', async () => {
    const fixture = await webmFixture({ seconds: 6 })
    const rec = await new RecorderUnderTest({ findTools: () => findFfmpeg({ env: { PATH: '' } }) }).start()
    try {
      const info = await rec.call('recording.info', {})
      expect(info.ffmpeg).toMatchObject({
        available: true,
        source: '@ffmpeg-installer/ffmpeg',
        hasFfprobe: false,
        version: expect.stringMatching(/^N-|^4\./)
      })
      const state = await rec.call('recording.start', { title: 'Old ffmpeg', participants: [{ id: 'a', name: 'alice.3bot' }] })
      const slices = sliceEvenly(fixture.bytes, 6)
      for (let i = 0; i < slices.length; i++)
        await rec.call('recording.chunk', { recordingId: state.recordingId, seq: i, bytes: slices[i] as Uint8Array })
      const entry = await rec.call('recording.stop', { recordingId: state.recordingId })
      expect(entry).toMatchObject({
        title: 'Old ffmpeg',
        participants: ['alice.3bot'],
        width: 640,
        height: 360,
        hasAudio: true,
        status: 'ready'
      })
      expect(entry.durationSec).toBeGreaterThan(5.5)
      expect(entry.durationSec).toBeLessThan(6.5)
    } finally {
      await rec.close()
    }
  })
})
