import { rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegTools } from './find-ffmpeg'
import { metadataArgs, type RecordingMetadata } from './metadata'
import { lastErrorLine, runTool } from './run-tool'

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
  try {
    const result = await runTool(tools.ffmpeg, args, { timeoutMs: 30 * 60_000 })
    const size = await stat(temp).then(
      (s) => s.size,
      () => 0
    )
    if (result.code !== 0 || size === 0) {
      await rm(temp, { force: true })
      return { ok: false, reason: lastErrorLine(result.stderr) || `ffmpeg exited with ${result.code ?? result.signal}` }
    }
    await rename(temp, file)
    return { ok: true }
  } catch (err) {
    await rm(temp, { force: true })
    return { ok: false, reason: err instanceof Error ? err.message : String(err) }
  }
}
