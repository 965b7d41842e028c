import { randomUUID } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegTools } from '../find-ffmpeg'
import { probeFile } from '../probe'
import { ffmpegIntoPlace } from '../run-tool'
import { scanStreams } from '../track-scan'
import { CONSENT_ATTACHMENT, CONSENT_MIME, type LoggedTrack } from './consent-log'

/** What a tracks recording's end needs from its consent: who is left out, and how the log is signed. */
export interface ConsentSeal {
  /** whose tracks reach the file: those whose last word is "I agree" (not who refused, nor who never answered) */
  keeps: (personId: string) => boolean
  /** the signed log's text for these tracks */
  seal: (tracks: LoggedTrack[]) => string
}

/**
 * Puts the signed consent log into a finished recording as a Matroska attachment: every track's
 * hash is taken from the file as it is (track-scan.ts), the log is signed, and the file is
 * copied once more with the log attached (streams by copy, times as they are, so the hashes
 * hold) to a hidden name that replaces it only when complete.
 */
export async function sealRecording(tools: FfmpegTools, file: string, consent: ConsentSeal): Promise<void> {
  const probe = await probeFile(tools, file)
  if (!probe) throw new Error('the merged recording cannot be read')
  const media = probe.streams.filter((s) => s.kind === 'video' || s.kind === 'audio')
  const scans = await scanStreams(
    tools,
    file,
    media.map((s) => s.index)
  )
  const tracks: LoggedTrack[] = media.map((s, i) => {
    const scan = scans[i] as (typeof scans)[number]
    const name = (s.role === 'screen' ? s.title.replace(/ \(screen\)$/, '') : s.title).slice(0, 64)
    return {
      index: s.index,
      person: s.person ?? '',
      name,
      role: s.role ?? 'camera',
      kind: s.kind,
      packets: scan.packets,
      sha256: scan.sha256
    }
  })
  const dir = path.dirname(file)
  const tag = randomUUID().slice(0, 8)
  const logFile = path.join(dir, `.${path.basename(file)}.${tag}.consent.json`)
  const temp = path.join(dir, `.${path.basename(file)}.${tag}.sealed.mkv`)
  try {
    await writeFile(logFile, consent.seal(tracks))
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file, '-map', '0', '-c', 'copy', '-copyts']
    args.push('-attach', logFile, '-metadata:s:t:0', `mimetype=${CONSENT_MIME}`, '-metadata:s:t:0', `filename=${CONSENT_ATTACHMENT}`)
    args.push('-f', 'matroska', '-y', temp)
    const done = await ffmpegIntoPlace(tools.ffmpeg, args, temp, file, 10 * 60_000)
    if (!done.ok) throw new Error(done.reason)
  } finally {
    await rm(logFile, { force: true })
  }
}
