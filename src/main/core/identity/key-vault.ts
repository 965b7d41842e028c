import path from 'node:path'
import { z } from 'zod'
import { keepBadCopy, readJsonFile, removeFile, writeJsonAtomic } from '../files/json-file'
import type { Logger } from '../log'
import { fromBase64, toBase64 } from './keys'

/**
 * Where the device key's 32-byte seed rests. The core only knows this interface: the headless
 * host keeps the seed in a mode-0600 file; the Electron shell passes a SecretCodec built on
 * `safeStorage` (OS keychain) so the same file holds only a sealed blob.
 */
export interface KeyVault {
  /** Human-readable, for logs and the README: how the key is protected at rest. */
  readonly protection: string
  /** The stored seed, or null when there is none (or it cannot be opened: logged, kept as .bad). */
  load(): Promise<Uint8Array | null>
  save(seed: Uint8Array): Promise<void>
  /** Remove the key from disk (sign-out). */
  wipe(): Promise<void>
}

/**
 * Seals secrets at rest. Electron: `{ id: 'electron-safe-storage', seal: (b) =>
 * safeStorage.encryptString(base64(b)), open: (s) => base64decode(safeStorage.decryptString(s)) }`.
 */
export interface SecretCodec {
  /** Stored with the blob, so a file sealed by one codec is never fed to another. */
  readonly id: string
  seal(plain: Uint8Array): Uint8Array | Promise<Uint8Array>
  open(sealed: Uint8Array): Uint8Array | Promise<Uint8Array>
}

export const DEVICE_KEY_FILE = 'device-key.json'
const PLAIN = 'plain'

const KeyFile = z.object({ v: z.literal(1), codec: z.string().min(1).max(64), key: z.string().min(1).max(4096) })

export function createFileKeyVault(options: { dataDir: string; log: Logger; codec?: SecretCodec }): KeyVault {
  const file = path.join(options.dataDir, DEVICE_KEY_FILE)
  const codec = options.codec
  const log = options.log

  const unusable = async (why: string): Promise<null> => {
    const copy = await keepBadCopy(file)
    log.warn(
      `device key unusable (${why}); a new one will be made and you will need to sign in again${copy ? ` (old file kept as ${copy})` : ''}`
    )
    await removeFile(file)
    return null
  }

  const vault: KeyVault = {
    protection: codec ? `sealed by ${codec.id}` : 'file readable only by this user (mode 0600)',
    async load() {
      const read = await readJsonFile(file, KeyFile, 16 * 1024)
      if (read.state === 'missing') return null
      if (read.state === 'bad') return unusable(read.reason)
      const blob = fromBase64(read.value.key)
      if (!blob) return unusable('not base64')
      let seed: Uint8Array
      if (read.value.codec === PLAIN) {
        seed = blob
      } else if (codec && read.value.codec === codec.id) {
        try {
          seed = await codec.open(blob)
        } catch (err) {
          return unusable(`cannot be unsealed: ${(err as Error).message}`)
        }
      } else {
        return unusable(`sealed by ${read.value.codec.slice(0, 64)}, which this host cannot open`)
      }
      if (seed.length !== 32) return unusable(`${seed.length} bytes, not 32`)
      // A key written before the keychain was available gets sealed now.
      if (codec && read.value.codec === PLAIN) await vault.save(seed)
      return seed
    },
    async save(seed) {
      const blob = codec ? await codec.seal(seed) : seed
      await writeJsonAtomic(file, { v: 1, codec: codec ? codec.id : PLAIN, key: toBase64(blob) }, 0o600)
    },
    async wipe() {
      // The .bad copy of an unusable key is a key too.
      await Promise.all([removeFile(file), removeFile(`${file}.bad`)])
    }
  }
  return vault
}
