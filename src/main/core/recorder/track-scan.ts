import { spawn } from 'node:child_process'
import { createHash, type Hash } from 'node:crypto'
import { createInterface } from 'node:readline'
import type { FfmpegTools } from './find-ffmpeg'
import { lastErrorLine } from './run-tool'

/** What every packet of one stream of a file adds up to. */
export interface ScannedStream {
  /** the stream's index in the file */
  index: number
  packets: number
  /** time of the first packet and the end of the last one (its time plus its duration), s */
  startSec: number
  endSec: number
  /** SHA-256 (hex) over every packet of the stream in order: its presentation time, size and content hash */
  sha256: string
}

/**
 * Reads every packet of the given streams once, by copy (nothing is decoded), with ffmpeg's
 * `framehash` muxer: per packet its times, size and the SHA-256 of its bytes. From that, per
 * stream: how many packets, where it starts and ends (a late joiner starts late), and one hash
 * of all of it, which changes when any byte or time of the stream does (the consent log keeps
 * these; `dym verify-recording` computes them again). Output is read line by line: a long
 * recording has a line per packet.
 */
export function scanStreams(
  tools: Pick<FfmpegTools, 'ffmpeg'>,
  file: string,
  indexes: readonly number[],
  signal?: AbortSignal,
  options: {
    /** read the file as the merge reads a track file: a partial frame at its end (a kill) is dropped */
    discardCorrupt?: boolean
    /**
     * times as stored (the meeting clock), not counted from the file's first packet: a track
     * hashes the same in its own track file and in the merged recording (the consent log)
     */
    storedTimes?: boolean
  } = {}
): Promise<ScannedStream[]> {
  if (indexes.length === 0) return Promise.resolve([])
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...(options.discardCorrupt ? ['-fflags', '+discardcorrupt'] : []),
    '-i',
    file
  ]
  for (const i of indexes) args.push('-map', `0:${i}`)
  args.push('-c', 'copy', ...(options.storedTimes ? ['-copyts'] : []), '-f', 'framehash', '-hash', 'sha256', '-')
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, signal })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8192)))
    const timeBase = new Map<number, number>()
    const streams = indexes.map((index) => ({ index, packets: 0, start: Infinity, end: -Infinity, hash: createHash('sha256') as Hash }))
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity })
    lines.on('line', (line) => {
      if (line.startsWith('#')) {
        const tb = /^#tb (\d+): (\d+)\/(\d+)/.exec(line)
        if (tb) timeBase.set(Number(tb[1]), Number(tb[2]) / Number(tb[3]))
        return
      }
      // stream, dts, pts, duration, size, hash[, side data...]
      const fields = line.split(',').map((f) => f.trim())
      const out = Number(fields[0])
      const s = streams[out]
      if (!s || fields.length < 6) return
      const tb = timeBase.get(out) ?? 0.001
      const pts = Number(fields[2])
      const duration = Number(fields[3])
      s.packets++
      if (Number.isFinite(pts)) {
        s.start = Math.min(s.start, pts * tb)
        s.end = Math.max(s.end, (pts + (Number.isFinite(duration) ? duration : 0)) * tb)
      }
      // What a faithful copy keeps: each packet's presentation time, size and bytes. Left out: the
      // stream's position (the same track hashes the same wherever it sits), and dts, duration and
      // side data, which a stream copy into Matroska may rewrite (a last frame's duration, dts
      // derived again) without changing a byte of the media.
      s.hash.update(`${fields[2]},${fields[4]},${fields[5]}\n`)
    })
    const linesDone = new Promise((r) => lines.once('close', r))
    child.once('error', reject)
    child.once('close', async (code) => {
      await linesDone
      if (code !== 0) {
        reject(new Error(lastErrorLine(stderr) || `ffmpeg exited with ${code}`))
        return
      }
      resolve(
        streams.map((s) => ({
          index: s.index,
          packets: s.packets,
          startSec: s.packets ? s.start : 0,
          endSec: s.packets ? s.end : 0,
          sha256: s.hash.digest('hex')
        }))
      )
    })
  })
}
