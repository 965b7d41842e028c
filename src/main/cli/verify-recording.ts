import { findFfmpeg } from '../core/recorder/find-ffmpeg'
import { verifyRecording } from '../core/recorder/consent/verify-recording'

export const VERIFY_USAGE = `  dym verify-recording FILE
                                                check a recording's signed consent log: every
                                                signature, every track's hash; prints who consented`

/**
 * `dym verify-recording FILE`: exit 0 and who consented when the file is as recorded; exit 1
 * and what does not hold otherwise (a track changed, the log edited, someone in it who did not
 * agree).
 */
export async function verifyRecordingCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const file = argv[0]
  if (!file || argv.length !== 1) {
    out(`Usage:\n${VERIFY_USAGE}`)
    return 2
  }
  const tools = await findFfmpeg()
  const verdict = await verifyRecording(tools, file)
  if (verdict.title !== null) out(`Recording: ${verdict.title}`)
  if (verdict.recorder) out(`Recorded by the device ${verdict.recorder}`)
  for (const p of verdict.people) {
    const who = p.threeBot ? `${p.threeBot} (3Bot credential bound to the signing key)` : `${p.name} (guest)`
    const what = p.answer === 'agree' ? 'consented' : 'refused'
    out(`  ${what}: ${who}, at ${new Date(p.at).toISOString()}, device ${p.peerId}`)
  }
  if (verdict.ok) {
    out('OK: the consent log is signed, every answer in it is signed, and every track is as recorded.')
    return 0
  }
  out('NOT VALID:')
  for (const problem of verdict.problems) out(`  - ${problem}`)
  return 1
}
