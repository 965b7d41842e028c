import path from 'node:path'
import type { FfmpegTools } from './find-ffmpeg'
import { metadataArgs, type RecordingMetadata } from './metadata'
import { ffmpegIntoPlace } from './run-tool'

/**
 * Rewrites a recording with `-c copy` (no re-encoding): the result has a duration, an index
 * (cues) and the given metadata. Used to finalise a file whose participants changed while it
 * was written, and to repair one whose ffmpeg was killed before it could write its trailer.
 *
 * The copy goes to a hidden file next to the original and replaces it only when it worked; on
 * any failure (a full disk, say) the original stays as it was: playable, just less polished.
 */
export async function remuxInPlace(
  tools: FfmpegTools,
  file: string,
  meta: RecordingMetadata
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.remux.mkv`)
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    // A file cut off mid-cluster ends in a partial packet: drop it rather than fail.
    '-fflags',
    '+discardcorrupt',
    '-i',
    file,
    '-map',
    '0',
    '-c',
    'copy',
    '-map_metadata',
    '-1',
    ...metadataArgs(meta),
    '-f',
    'matroska',
    '-y',
    temp
  ]
  return ffmpegIntoPlace(tools.ffmpeg, args, temp, file)
}
