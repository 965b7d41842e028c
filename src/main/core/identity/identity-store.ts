import path from 'node:path'
import { z } from 'zod'
import { GuestName } from '../../../shared/contract/identity'
import { keepBadCopy, readJsonFile, removeFile, writeJsonAtomic } from '../files/json-file'
import type { Logger } from '../log'
import { ThreeBotCredential } from './credential'

/**
 * Who is signed in, in `identity.json` (mode 0600) next to the device key. The credential is
 * public (peers receive it) but still tells who you are, so the file is private too.
 */
export const IDENTITY_FILE = 'identity.json'

const Base64Key = z.string().length(44)

export const StoredIdentity = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1),
    kind: z.literal('3bot'),
    via: z.enum(['threefold-connect', 'seed']),
    credential: ThreeBotCredential,
    /** the device key the credential binds, to notice a replaced key */
    devicePublicKey: Base64Key,
    signedInAt: z.number().int()
  }),
  z.object({
    v: z.literal(1),
    kind: z.literal('guest'),
    displayName: GuestName,
    devicePublicKey: Base64Key,
    signedInAt: z.number().int()
  })
])
export type StoredIdentity = z.infer<typeof StoredIdentity>

export interface IdentityStore {
  load(): Promise<StoredIdentity | null>
  save(identity: StoredIdentity): Promise<void>
  remove(): Promise<void>
}

export function createIdentityStore(dataDir: string, log: Logger): IdentityStore {
  const file = path.join(dataDir, IDENTITY_FILE)
  return {
    async load() {
      const read = await readJsonFile(file, StoredIdentity, 32 * 1024)
      if (read.state === 'missing') return null
      if (read.state === 'ok') return read.value
      const copy = await keepBadCopy(file)
      log.warn(`${IDENTITY_FILE} is unusable (${read.reason}); signed out${copy ? ` (kept as ${copy})` : ''}`)
      await removeFile(file)
      return null
    },
    save: (identity) => writeJsonAtomic(file, identity, 0o600),
    async remove() {
      await Promise.all([removeFile(file), removeFile(`${file}.bad`)])
    }
  }
}
