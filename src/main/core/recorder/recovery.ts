import { readFileSync } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../log'
import type { FfmpegTools } from './find-ffmpeg'
import { restoreConsent } from './consent/consent-journal'
import { rosterNames, type Marker, type MarkerStore } from './markers'
import { finishTracks, workDirOf } from './recording-sinks'
import { remuxInPlace } from './remux'

/**
 * Finishes recordings a previous run left behind (the app or core was killed mid-recording).
 * The file is already playable up to about a second before the kill; this adds what only a
 * clean stop writes (duration, index, the final participant list) by remuxing it with
 * `-c copy`, and marks it as recovered. Returns the file names it finished.
 */
export async function recoverInterrupted(
  markers: MarkerStore,
  findTools: () => Promise<FfmpegTools | null>,
  log: Logger,
  /** this device's key: signs the consent log of a tracks recording it made */
  deviceKeySeed?: () => Promise<Uint8Array>
): Promise<string[]> {
  const left = await markers.readAll()
  if (left.length === 0) return [] // the usual case: no need to even look for ffmpeg
  const tools = await findTools()
  const recovered: string[] = []
  for (const marker of left) {
    try {
      if (await recoverOne(marker, tools, log, deviceKeySeed)) recovered.push(marker.file)
      await markers.remove(marker.recordingId)
    } catch (err) {
      log.warn(`could not recover ${marker.file}; will try again next start`, err)
    }
  }
  return recovered
}

async function recoverOne(
  marker: Marker,
  tools: FfmpegTools | null,
  log: Logger,
  deviceKeySeed: (() => Promise<Uint8Array>) | undefined
): Promise<boolean> {
  if (marker.path === 'tracks') return recoverTracks(marker, tools, log, deviceKeySeed)
  // A core killed alone leaves its ffmpeg running: stdin is closed, so it is writing the
  // trailer and about to exit. Let it finish, then take over the file.
  if (marker.ffmpegPid !== null) await waitForExit(marker.ffmpegPid, marker.file, 10_000)
  const size = await stat(marker.file).then(
    (s) => s.size,
    () => -1
  )
  if (size <= 0) {
    log.info(`interrupted recording ${marker.file} has no data; removing it`)
    if (size === 0) await rm(marker.file, { force: true })
    return false
  }
  if (!tools) throw new Error('no ffmpeg to repair it with')
  const result = await remuxInPlace(tools, marker.file, {
    title: marker.title,
    startedAt: marker.startedAt,
    participants: rosterNames(marker.roster),
    recovered: true
  })
  if (!result.ok) log.warn(`left ${marker.file} as it was (playable, without an index): ${result.reason}`)
  else log.info(`recovered interrupted recording ${marker.file}`)
  return true
}

/**
 * A tracks recording cut short: every track file is on disk up to about the last batch that
 * reached the core; they are merged as at a normal stop, with only the people who agreed, and
 * with the signed consent log when this device recorded it. No track file: the empty
 * reservation goes.
 */
async function recoverTracks(
  marker: Marker,
  tools: FfmpegTools | null,
  log: Logger,
  deviceKeySeed: (() => Promise<Uint8Array>) | undefined
): Promise<boolean> {
  const workDir = workDirOf(marker.file)
  const consent = await restoreConsent(workDir, marker.title, deviceKeySeed)
  const kept = (marker.tracks ?? []).filter((t) => !consent || consent.keeps(t.personId))
  const meta = { title: marker.title, startedAt: marker.startedAt, participants: rosterNames(marker.roster), recovered: true }
  const seal = tools ? consent?.seal?.seal : undefined
  const end = await finishTracks(tools, marker.file, workDir, kept, meta, log, seal)
  if (end.retryLater) throw new Error(end.failure)
  if (end.empty) {
    log.info(`interrupted recording ${marker.file} has no data; removed it`)
    return false
  }
  if (end.failure) log.warn(`recovered ${marker.file}: ${end.failure}`)
  else if (consent && !consent.seal) log.warn(`recovered ${marker.file} without its consent log: another identity is signed in now`)
  log.info(`recovered interrupted recording ${marker.file}`)
  return true
}

/** Hidden work files of ours (a remux or an export cut short by a kill) older than this are litter. */
const STALE_TEMP_MS = 60 * 60_000
const TEMP_FILE = /^\..+\.(remux\.mkv|mp4\.part)$/

/**
 * Removes what a killed remux or export left in the recordings folder. Only old ones: another
 * app instance sharing the folder may be writing a fresh one right now.
 */
export async function removeStaleTempFiles(folder: string, log: Logger): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[])
  for (const name of names.filter((n) => TEMP_FILE.test(n))) {
    const file = path.join(folder, name)
    const info = await stat(file).catch(() => null)
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) {
      log.info(`removing stale work file ${name}`)
      await rm(file, { force: true })
    }
  }
}

/** Is `pid` still the ffmpeg writing `file`? (On Linux we can check; elsewhere, alive is enough.) */
function isOurFfmpeg(pid: number, file: string): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  if (process.platform !== 'linux') return true
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(file)
  } catch {
    return false
  }
}

async function waitForExit(pid: number, file: string, timeoutMs: number): Promise<void> {
  let deadline = Date.now() + timeoutMs
  let killed = false
  while (isOurFfmpeg(pid, file)) {
    if (Date.now() > deadline) {
      if (killed) return
      killed = true
      deadline = Date.now() + 2000
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
