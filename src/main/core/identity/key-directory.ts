import type { DirectoryClient, DirectoryFailure } from './directory-client'
import type { KeyPins } from './key-pins'
import { bytesEqual } from './keys'

export type KeyLookup =
  | { ok: true; publicKey: Uint8Array; source: 'directory' | 'pinned'; firstSeen: number }
  | { ok: false; reason: DirectoryFailure; message: string }
  | { ok: false; reason: 'key-changed'; message: string; pinnedKey: Uint8Array; directoryKey: Uint8Array; firstSeen: number }

export interface KeyDirectory {
  /**
   * A name's 3Bot key: the directory's answer checked against the pin (trust on first use).
   * A key that differs from the pin is reported as `key-changed`, never accepted; while the
   * directory cannot be reached (or answers garbage) a pinned key is used instead.
   */
  lookup(name: string): Promise<KeyLookup>
  /** Pin the directory's current key for a name (the person accepted a key change). */
  acceptCurrentKey(name: string): Promise<KeyLookup>
}

export function createKeyDirectory(client: DirectoryClient, pins: KeyPins): KeyDirectory {
  // Ten peers joining at once ask once per name.
  const inFlight = new Map<string, Promise<KeyLookup>>()

  async function lookupOnce(name: string): Promise<KeyLookup> {
    const answer = await client.fetchUserKey(name)
    const pin = pins.get(name)
    if (answer.ok) {
      if (!pin) {
        const pinned = await pins.pinIfNew(name, answer.publicKey)
        return { ok: true, publicKey: answer.publicKey, source: 'directory', firstSeen: pinned.firstSeen }
      }
      if (bytesEqual(pin.publicKey, answer.publicKey))
        return { ok: true, publicKey: answer.publicKey, source: 'directory', firstSeen: pin.firstSeen }
      const since = new Date(pin.firstSeen).toISOString().slice(0, 10)
      return {
        ok: false,
        reason: 'key-changed',
        message: `${name}'s key in the ThreeFold directory changed since it was first seen on ${since}. Check with them before trusting it.`,
        pinnedKey: pin.publicKey,
        directoryKey: answer.publicKey,
        firstSeen: pin.firstSeen
      }
    }
    // The directory says the name does not exist: a pin must not keep a deleted name alive.
    if (answer.reason !== 'unknown-user' && pin) return { ok: true, publicKey: pin.publicKey, source: 'pinned', firstSeen: pin.firstSeen }
    return answer
  }

  return {
    lookup(name) {
      const running = inFlight.get(name)
      if (running) return running
      const started = lookupOnce(name).finally(() => inFlight.delete(name))
      inFlight.set(name, started)
      return started
    },
    async acceptCurrentKey(name) {
      const answer = await client.fetchUserKey(name)
      if (!answer.ok) return answer
      const pin = await pins.replace(name, answer.publicKey)
      return { ok: true, publicKey: answer.publicKey, source: 'directory', firstSeen: pin.firstSeen }
    }
  }
}
