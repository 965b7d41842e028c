import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { PeerIdText, RoomRules } from '../../../shared/contract/rooms'
import { readJsonFile, writeJsonAtomic } from '../files/json-file'
import { MemberAddress } from '../p2p/protocols/room/messages'

/** What we remember of a meeting we were in, so we can open it again when nobody is in it. */
export const RememberedMeeting = z.object({
  title: z.string().max(120),
  rules: RoomRules,
  /** the host's peer id ('' when we never learnt it) */
  creator: z.union([PeerIdText, z.literal('')]),
  /** the members we were last linked to, and where: a reopened meeting looks for them first */
  members: z.array(MemberAddress).max(8)
})
export type RememberedMeeting = z.infer<typeof RememberedMeeting>

const MAX_BYTES = 32 * 1024

function fileOf(dataDir: string, roomId: string): string {
  return path.join(dataDir, 'rooms', roomId, 'meeting.json')
}

/** Null when we were never in it, or the file is unreadable (we then know nothing more than the invite). */
export async function recallMeeting(dataDir: string, roomId: string): Promise<RememberedMeeting | null> {
  const read = await readJsonFile(fileOf(dataDir, roomId), RememberedMeeting, MAX_BYTES)
  return read.state === 'ok' ? read.value : null
}

export async function rememberMeeting(dataDir: string, roomId: string, meeting: RememberedMeeting): Promise<void> {
  const file = fileOf(dataDir, roomId)
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  await writeJsonAtomic(file, meeting)
}
