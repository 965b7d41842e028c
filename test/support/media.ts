import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Real media for the recorder's tests: what MediaRecorder sends (WebM, VP8 + Opus), made with
 * the system ffmpeg from a test pattern and a 440 Hz tone, cached per machine so each size is
 * encoded once. Needs `ffmpeg` and `ffprobe` on PATH (CI installs them).
 */
export interface WebmFixture {
  file: string
  bytes: Buffer
  seconds: number
}

export async function webmFixture(options: { seconds: number; width?: number; height?: number; kbps?: number }): Promise<WebmFixture> {
  const { seconds, width = 640, height = 360, kbps = 1000 } = options
  const dir = path.join(os.tmpdir(), 'dym-test-media')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `vp8-opus-${width}x${height}-${kbps}k-${seconds}s.webm`)
  if (!existsSync(file)) {
    // Encode 10 s at most and loop it by copy: a 2-minute fixture costs no more than a short one.
    const unit = Math.min(seconds, 10)
    const unitFile = path.join(dir, `unit-${process.pid}-${width}x${height}-${kbps}k-${unit}s.webm`)
    await run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=30`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      String(unit),
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      `${kbps}k`,
      '-minrate',
      `${kbps}k`,
      '-maxrate',
      `${kbps}k`,
      '-g',
      '60',
      '-c:a',
      'libopus',
      '-b:a',
      '96k',
      '-f',
      'webm',
      unitFile
    ])
    const temp = `${file}.${process.pid}.tmp`
    if (unit === seconds) renameSync(unitFile, temp)
    else {
      await run('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-stream_loop',
        String(Math.ceil(seconds / unit) - 1),
        '-i',
        unitFile,
        '-c',
        'copy',
        '-t',
        String(seconds),
        '-f',
        'webm',
        temp
      ])
    }
    renameSync(temp, file)
  }
  return { file, bytes: readFileSync(file), seconds }
}

/** The file cut into `count` byte slices, as a 1-second-timeslice MediaRecorder would deliver them (cut anywhere). */
export function sliceEvenly(bytes: Uint8Array, count: number): Uint8Array[] {
  const size = Math.ceil(bytes.byteLength / count)
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.byteLength; at += size) out.push(bytes.subarray(at, Math.min(at + size, bytes.byteLength)))
  return out
}

export interface Probed {
  durationSec: number | null
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>
  tags: Record<string, string>
}

/** ffprobe's view of a file (tags with lower-case keys). */
export async function ffprobe(file: string): Promise<Probed> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file])
  const json = JSON.parse(stdout) as { streams: Probed['streams']; format: { duration?: string; tags?: Record<string, string> } }
  const tags = Object.fromEntries(Object.entries(json.format.tags ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
  const duration = Number(json.format.duration)
  return { durationSec: Number.isFinite(duration) ? duration : null, streams: json.streams, tags }
}

/**
 * How much of a file really plays: every packet decoded to the end (errors fail it), and the
 * time of the last frame. Works on files without a duration in their header (cut off by a kill).
 */
export async function playableSeconds(file: string): Promise<number> {
  const { stderr } = await run(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-v', 'error', '-stats', '-i', file, '-map', '0:v:0', '-f', 'null', '-'],
    { maxBuffer: 16 * 1024 * 1024 }
  )
  const times = [...stderr.matchAll(/time=(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)]
  const last = times.at(-1)
  if (!last) throw new Error(`nothing decodable in ${file}: ${stderr.slice(-300)}`)
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3])
}

/** Mean volume of the first audio stream in dB (ffmpeg volumedetect); -91 is digital silence. */
export async function meanVolumeDb(file: string): Promise<number> {
  const { stderr } = await run(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-'],
    { maxBuffer: 16 * 1024 * 1024 }
  )
  const m = /mean_volume: (-?[\d.]+) dB/.exec(stderr)
  if (!m?.[1]) throw new Error(`no volume in ${file}`)
  return Number(m[1])
}

/** One stream's packet times in seconds, in order. */
export async function packetTimes(file: string, index: number): Promise<number[]> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', String(index), '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file],
    {
      maxBuffer: 64 * 1024 * 1024
    }
  )
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '' && l.trim() !== 'N/A')
    .map(Number)
    .sort((a, b) => a - b)
}

/** Per stream: packets, first and last timestamp (for a failure message, and the frame rate). */
export async function streamTimeline(file: string): Promise<Array<{ type: string; packets: number; first: number; last: number }>> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=codec_type,pts_time', '-of', 'csv=p=0', file], {
    maxBuffer: 64 * 1024 * 1024
  })
  const byType = new Map<string, number[]>()
  for (const line of stdout.split('\n')) {
    const [type, pts] = line.split(',')
    if (!type || pts === undefined || pts === 'N/A') continue
    const list = byType.get(type) ?? []
    list.push(Number(pts))
    byType.set(type, list)
  }
  return [...byType].map(([type, times]) => ({ type, packets: times.length, first: Math.min(...times), last: Math.max(...times) }))
}

export interface StreamFacts {
  index: number
  codec_type: string
  codec_name: string
  title: string
  isDefault: boolean
  /** time of its first and last packet (s) and how many packets it has */
  first: number
  last: number
  packets: number
}

/** Per stream of a file: codec, title, default flag and the times of its first and last packet. */
export async function streamFacts(file: string): Promise<StreamFacts[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', file])
  type Stream = {
    index: number
    codec_type: string
    codec_name: string
    tags?: Record<string, string>
    disposition?: Record<string, number>
  }
  const streams = (JSON.parse(stdout) as { streams: Stream[] }).streams
  const { stdout: packets } = await run(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time', '-of', 'csv=p=0', file],
    {
      maxBuffer: 64 * 1024 * 1024
    }
  )
  const times = new Map<number, number[]>()
  for (const line of packets.split('\n')) {
    const [index, pts] = line.split(',')
    if (index === undefined || pts === undefined || pts === 'N/A' || pts === '') continue
    const list = times.get(Number(index)) ?? []
    list.push(Number(pts))
    times.set(Number(index), list)
  }
  return streams.map((s) => {
    const t = times.get(s.index) ?? []
    return {
      index: s.index,
      codec_type: s.codec_type,
      codec_name: s.codec_name,
      title: s.tags?.title ?? s.tags?.TITLE ?? '',
      isDefault: s.disposition?.default === 1,
      first: t.length ? Math.min(...t) : NaN,
      last: t.length ? Math.max(...t) : NaN,
      packets: t.length
    }
  })
}

/** Mean volume of one audio stream (by its index in the file) in dB; -91 is digital silence. */
export async function streamVolumeDb(file: string, index: number): Promise<number> {
  const { stderr } = await run(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-i', file, '-map', `0:${index}`, '-af', 'volumedetect', '-f', 'null', '-'],
    {
      maxBuffer: 16 * 1024 * 1024
    }
  )
  const m = /mean_volume: (-?[\d.]+) dB/.exec(stderr)
  if (!m?.[1]) throw new Error(`no volume for stream ${index} of ${file}`)
  return Number(m[1])
}

/**
 * What the acceptance checks of a recording need, in one call: picture size, audio, duration,
 * how much really plays, loudness and our metadata. For the call's e2e tests as well.
 */
export async function recordingFacts(file: string) {
  const probed = await ffprobe(file)
  const video = probed.streams.find((s) => s.codec_type === 'video')
  const audio = probed.streams.find((s) => s.codec_type === 'audio')
  return {
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
    durationSec: probed.durationSec,
    playableSec: await playableSeconds(file),
    meanVolumeDb: audio ? await meanVolumeDb(file) : null,
    title: probed.tags.title ?? null,
    participants: probed.tags.participants ?? null,
    timeline: await streamTimeline(file)
  }
}

/** Mean brightness (0-255) of a rectangle of a video's picture at a moment: dark = nobody there. */
export async function regionLuma(file: string, atSec: number, r: { x: number; y: number; w: number; h: number }): Promise<number> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-ss',
      atSec.toFixed(2),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `crop=${r.w}:${r.h}:${r.x}:${r.y},scale=1:1:flags=area,format=gray`,
      '-f',
      'rawvideo',
      '-'
    ],
    { encoding: 'buffer' }
  )
  if (stdout.length < 1) throw new Error(`no picture at ${atSec} s of ${file}`)
  return stdout[0] as number
}
