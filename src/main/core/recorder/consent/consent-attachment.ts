import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegTools } from '../find-ffmpeg'
import { scanStreams } from '../track-scan'
import type { Attachment, TrackInfo } from '../tracks/merge-tracks'
import { CONSENT_ATTACHMENT, CONSENT_MIME, type LoggedTrack } from './consent-log'

/** What a tracks recording's end needs from its consent: who is left out, and how the log is signed. */
export interface ConsentSeal {
  /** whose tracks reach the file: those whose last word is "I agree" (not who refused, nor who never answered) */
  keeps: (personId: string) => boolean
  /** the signed log's text for these tracks */
  seal: (tracks: LoggedTrack[]) => string
}

/**
 * The signed consent log of a tracks recording, as the attachment the merge puts into the file
 * it writes anyway (so the recording is copied once at stop, not twice). Every track's hash is
 * taken from its track file, read as the merge reads it: the merge copies packets and times as
 * they are, so `dym verify-recording`, which hashes the streams of the finished file, finds the
 * same. The log is written into `workDir` (it goes with the track files).
 */
export async function consentAttachment(
  tools: FfmpegTools,
  present: readonly TrackInfo[],
  seal: ConsentSeal['seal'],
  workDir: string
): Promise<Attachment> {
  const scans = await Promise.all(
    present.map((t) => scanStreams(tools, t.file, [0], undefined, { discardCorrupt: true, storedTimes: true }))
  )
  const tracks: LoggedTrack[] = present.map((t, index) => {
    const scan = scans[index]![0]!
    return {
      index,
      person: t.personId,
      name: t.personName.slice(0, 64),
      role: t.role,
      kind: t.kind,
      packets: scan.packets,
      sha256: scan.sha256
    }
  })
  const file = path.join(workDir, `consent-${randomUUID().slice(0, 8)}.json`)
  await writeFile(file, seal(tracks))
  return { file, name: CONSENT_ATTACHMENT, mimeType: CONSENT_MIME }
}
