import { createSerialQueue } from '../files/json-file'
import type { Logger } from '../log'
import type { KeyVault } from './key-vault'
import { ed25519FromSeed, keyFingerprint, newEd25519Key, type Ed25519Key } from './keys'

/** This device's Ed25519 key (its libp2p identity): made on first use, wiped at sign-out. */
export interface DeviceKey {
  /** The key, loaded from the vault or made (and saved) if there is none. */
  get(): Promise<Ed25519Key>
  /** The key if it is loaded, without touching the vault. */
  loaded(): Ed25519Key | null
  /** Remove it from the vault and memory; the next get() makes a new one. */
  wipe(): Promise<void>
}

export function createDeviceKey(vault: KeyVault, log: Logger): DeviceKey {
  // Loading, making and wiping never interleave (two first uses must not make two keys).
  const serial = createSerialQueue()
  let key: Ed25519Key | null = null
  return {
    get: () =>
      serial(async () => {
        if (key) return key
        const seed = await vault.load()
        if (seed) key = ed25519FromSeed(seed)
        else {
          key = newEd25519Key()
          await vault.save(key.seed)
          log.info(`made a new device key (${keyFingerprint(key.publicKey)}), stored as ${vault.protection}`)
        }
        return key
      }),
    loaded: () => key,
    wipe: () =>
      serial(async () => {
        await vault.wipe()
        key?.seed.fill(0)
        key = null
      })
  }
}
