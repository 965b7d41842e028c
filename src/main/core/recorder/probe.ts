import { z } from 'zod'
import type { FfmpegTools } from './find-ffmpeg'
import { runTool } from './run-tool'

/** What the recordings list needs to know about a media file. */
export interface ProbeResult {
  durationSec: number | null
  width: number | null
  height: number | null
  hasVideo: boolean
  hasAudio: boolean
  /** video and audio streams in file order, with their titles (a person's name in a tracks recording) */
  streams: ProbeStream[]
  /** format-level tags, keys lower-cased */
  tags: Record<string, string>
}

export interface ProbeStream {
  index: number
  kind: 'video' | 'audio'
  title: string
  /** a tracks recording's: whose track it is and what (camera or screen), from the stream's tags */
  person?: string
  role?: 'camera' | 'screen'
  width?: number
  height?: number
}

/** Who a stream of a tracks recording belongs to, from its tags (written by merge-tracks.ts). */
function personOf(tags: Record<string, string>): Pick<ProbeStream, 'person' | 'role'> {
  const out: Pick<ProbeStream, 'person' | 'role'> = {}
  if (tags.dym_person) out.person = tags.dym_person.slice(0, 100)
  if (tags.dym_role === 'camera' || tags.dym_role === 'screen') out.role = tags.dym_role
  return out
}

const FfprobeOutput = z.object({
  streams: z
    .array(
      z
        .object({
          index: z.number().int().nonnegative().optional(),
          codec_type: z.string().optional(),
          width: z.number().optional(),
          height: z.number().optional(),
          tags: z.record(z.string(), z.string()).optional()
        })
        .passthrough()
    )
    .max(256)
    .default([]),
  format: z
    .object({ duration: z.string().optional(), tags: z.record(z.string(), z.string()).optional() })
    .passthrough()
    .optional()
})

/**
 * Probes with ffprobe when there is one, else by reading what `ffmpeg -i` prints (the bundled
 * @ffmpeg-installer build has no ffprobe). Null when neither can read the file.
 */
export async function probeFile(tools: FfmpegTools, file: string): Promise<ProbeResult | null> {
  return tools.ffprobe ? probeWithFfprobe(tools.ffprobe, file) : probeWithFfmpeg(tools.ffmpeg, file)
}

async function probeWithFfprobe(ffprobe: string, file: string): Promise<ProbeResult | null> {
  const result = await runTool(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
    timeoutMs: 20_000
  })
  if (result.code !== 0) return null
  let parsed: z.infer<typeof FfprobeOutput>
  try {
    parsed = FfprobeOutput.parse(JSON.parse(result.stdout))
  } catch {
    return null
  }
  const video = parsed.streams.find((s) => s.codec_type === 'video')
  const duration = Number(parsed.format?.duration)
  return {
    durationSec: Number.isFinite(duration) && duration > 0 ? duration : null,
    width: video?.width ?? null,
    height: video?.height ?? null,
    hasVideo: !!video,
    hasAudio: parsed.streams.some((s) => s.codec_type === 'audio'),
    streams: parsed.streams.flatMap((s, i) => {
      if (s.codec_type !== 'video' && s.codec_type !== 'audio') return []
      const tags = lowerKeys(s.tags ?? {})
      const stream: ProbeStream = { index: s.index ?? i, kind: s.codec_type, title: (tags.title ?? '').slice(0, 100), ...personOf(tags) }
      if (s.width && s.height) Object.assign(stream, { width: s.width, height: s.height })
      return [stream]
    }),
    tags: lowerKeys(parsed.format?.tags ?? {})
  }
}

/** `ffmpeg -i file` with no output prints the input's description to stderr and exits 1. */
async function probeWithFfmpeg(ffmpeg: string, file: string): Promise<ProbeResult | null> {
  const result = await runTool(ffmpeg, ['-hide_banner', '-i', file], { timeoutMs: 20_000 })
  return parseFfmpegInfo(result.stderr)
}

export function parseFfmpegInfo(stderr: string): ProbeResult | null {
  const input = stderr.indexOf('Input #0')
  if (input === -1) return null
  const text = stderr.slice(input)
  const durationMatch = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(text)
  const durationSec = durationMatch ? Number(durationMatch[1]) * 3600 + Number(durationMatch[2]) * 60 + Number(durationMatch[3]) : null
  const videoLine = /Stream #0:\d+.*?: Video: .*/.exec(text)?.[0] ?? ''
  const size = /, (\d{2,5})x(\d{2,5})[,\s]/.exec(videoLine)
  // Format tags: the "Metadata:" block between "Input #0" and "Duration:".
  const header = text.slice(0, durationMatch?.index ?? text.length)
  const tags: Record<string, string> = {}
  for (const m of header.matchAll(/^\s{4}(\S[^:]*?)\s*: (.*)$/gm)) {
    if (m[1] && m[2] !== undefined) tags[m[1].toLowerCase()] = m[2]
  }
  return {
    durationSec: durationSec && durationSec > 0 ? durationSec : null,
    width: size ? Number(size[1]) : null,
    height: size ? Number(size[2]) : null,
    hasVideo: videoLine.length > 0,
    hasAudio: /Stream #0:\d+.*?: Audio: /.test(text),
    streams: ffmpegStreams(text),
    tags
  }
}

/** Each "Stream #0:N: Video|Audio" line of `ffmpeg -i`, with the tags in the Metadata block under it. */
function ffmpegStreams(text: string): ProbeStream[] {
  const heads = [...text.matchAll(/^\s*Stream #0:(\d+).*?: (Video|Audio|Attachment|Subtitle|Data): (.*)$/gm)]
  return heads.flatMap((m, i) => {
    if (m[2] !== 'Video' && m[2] !== 'Audio') return []
    const block = text.slice((m.index ?? 0) + m[0].length, heads[i + 1]?.index ?? text.length)
    const tags: Record<string, string> = {}
    for (const t of block.matchAll(/^\s{6,}(\S[^:]*?)\s*: (.*)$/gm)) if (t[1] && t[2] !== undefined) tags[t[1].toLowerCase()] = t[2]
    const size = /, (\d{2,5})x(\d{2,5})[,\s]/.exec(m[3] ?? '')
    const stream: ProbeStream = {
      index: Number(m[1]),
      kind: m[2] === 'Video' ? 'video' : 'audio',
      title: (tags.title ?? '').slice(0, 100),
      ...personOf(tags)
    }
    if (size) Object.assign(stream, { width: Number(size[1]), height: Number(size[2]) })
    return [stream]
  })
}

function lowerKeys(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]))
}
