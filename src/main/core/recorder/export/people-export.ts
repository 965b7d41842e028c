import { DymError } from '../../../../shared/contract/errors'
import { titleSlug } from '../file-names'
import type { FfmpegTools } from '../find-ffmpeg'
import type { ProbeStream } from '../probe'
import { scanStreams } from '../track-scan'
import type { ExportPlan, ExportSource, PlannedOutput } from './export-plan'
import { tempName } from './export-plan'
import { meetingPeople } from './meeting-streams'

/**
 * "Export each person": a WebM per person of a tracks recording (their camera, microphone and
 * shared screens) next to it, named `<recording> - <person>.webm`, by copy: their own VP8/Opus,
 * nothing re-encoded, so it takes seconds. Each file starts when its person arrived. One
 * ffmpeg reads the recording once and writes every file.
 */
export async function planPeopleExport(tools: FfmpegTools, src: ExportSource, streams: readonly ProbeStream[]): Promise<ExportPlan> {
  const media = streams.filter((s) => s.kind === 'video' || s.kind === 'audio')
  const scans = await scanStreams(
    tools,
    src.file,
    media.map((s) => s.index)
  )
  const people = meetingPeople(media, scans)
  if (people.length < 2 && !streams.some((s) => s.person))
    throw new DymError('bad-request', 'This recording has one picture of everyone: there is nobody to export on their own')
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', src.file]
  const outputs: PlannedOutput[] = []
  people.forEach((p, n) => {
    const output: PlannedOutput = { temp: tempName(src, n, '.webm'), base: `${src.base} - ${titleSlug(p.name) || 'person'}`, ext: '.webm' }
    outputs.push(output)
    for (const s of [p.camera, ...p.audio, ...p.screens]) if (s) args.push('-map', `0:${s.index}`)
    // make_zero: each file starts at its own first frame (a late joiner's is not padded).
    args.push('-c', 'copy', '-avoid_negative_ts', 'make_zero', '-map_metadata', '0', '-f', 'webm', '-y', output.temp)
  })
  const length = Math.max(...scans.map((s) => s.endSec), 0)
  return { args, durationSec: length > 0 ? length : null, outputs }
}
