import type { FfmpegTools } from '../find-ffmpeg'
import type { ProbeStream } from '../probe'
import { scanStreams } from '../track-scan'
import type { ExportPlan, ExportSource } from './export-plan'
import { tempName } from './export-plan'
import { findFont } from './fonts'
import { gridGraph } from './grid-graph'
import { exportFrameRate, meetingPeople } from './meeting-streams'

/** H.264/AAC as every player and phone takes it; yuv420p needs even sizes. */
const ENCODE = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '22', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '160k']
const MP4 = ['-map_metadata', '0', '-movflags', '+faststart', '-f', 'mp4', '-y']

/**
 * "Export MP4": a recording of one picture (the composed path, older files) is re-encoded as it
 * is; a tracks recording becomes the meeting as people saw it: everyone in a grid, screens
 * large, names on the tiles, every voice mixed, at the cameras' own frame rate (grid-graph.ts).
 */
export async function planComposedExport(
  tools: FfmpegTools,
  src: ExportSource,
  streams: readonly ProbeStream[],
  durationSec: number | null,
  log: (line: string) => void
): Promise<ExportPlan> {
  const output = { temp: tempName(src, 0, '.mp4'), base: src.base, ext: '.mp4' as const }
  const videos = streams.filter((s) => s.kind === 'video')
  const audios = streams.filter((s) => s.kind === 'audio')
  if (videos.length <= 1 && audios.length <= 1) {
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      src.file,
      '-map',
      '0:v:0?',
      '-map',
      '0:a:0?',
      '-vf',
      'scale=trunc(iw/2)*2:trunc(ih/2)*2',
      // Keep each frame's own time: composed recordings are variable frame rate in a 1/1000 time
      // base, which MP4's default constant rate would fill with ~1000 copies a second.
      // -vsync, not -fps_mode: the bundled fallback ffmpeg is 4.1.
      '-vsync',
      'vfr',
      ...ENCODE,
      ...MP4,
      output.temp
    ]
    return { args, durationSec, outputs: [output] }
  }
  const scans = await scanStreams(
    tools,
    src.file,
    [...videos, ...audios].map((s) => s.index)
  )
  const people = meetingPeople(streams, scans)
  const fps = exportFrameRate(people)
  const length = Math.max(...scans.map((s) => s.endSec), 0.1)
  const font = await findFont()
  if (!font) log('no font found for the names (install fonts-dejavu-core, or set DYM_FONT): the export shows none')
  const grid = gridGraph(people, { fps, durationSec: length, font, tempDir: src.tempDir })
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-filter_complex_threads',
    '1',
    '-i',
    src.file,
    '-filter_complex',
    grid.graph,
    '-map',
    '[vout]',
    ...(grid.hasAudio ? ['-map', '[aout]'] : []),
    '-t',
    length.toFixed(3),
    ...ENCODE,
    ...MP4,
    output.temp
  ]
  return { args, durationSec: length, outputs: [output], files: grid.names }
}
