import { DymError } from '../../../shared/contract/errors'
import { checkSeedPhrase, type SeedCheck } from '../../../shared/identity/mnemonic'
import { signCredentialLocally, type ThreeBotCredential } from './credential'
import type { KeyDirectory } from './key-directory'
import { bytesEqual, threeBotKeyFromWords } from './keys'

export interface RestoreResult {
  credential: ThreeBotCredential
  /** null when the directory confirmed the key; else why it could not */
  warning: string | null
}

/**
 * Restore with the seed phrase: check the words, derive the 3Bot key, compare it with the
 * directory's key for the name, sign the device credential with it, and drop the key. The words
 * and the key never leave this function.
 */
export async function restoreWithSeed(options: {
  name: string
  words: string
  appId: string
  devicePublicKey: Uint8Array
  keys: KeyDirectory
}): Promise<RestoreResult> {
  const check = checkSeedPhrase(options.words)
  if (!check.ok) throw new DymError('bad-request', describeForCore(check))
  const key = threeBotKeyFromWords(check.words)
  try {
    const { name } = options
    let warning: string | null = null
    const lookup = await options.keys.lookup(name)
    if (lookup.ok) {
      if (!bytesEqual(lookup.publicKey, key.publicKey))
        throw new DymError(
          'denied',
          `These words are not ${name}'s: the key they give is not the one the ThreeFold directory lists for ${name}.`
        )
    } else if (lookup.reason === 'unknown-user') {
      throw new DymError('not-found', `${name} is not in the ThreeFold directory. Check the name.`)
    } else if (lookup.reason === 'key-changed') {
      // Holding the seed of the directory's current key is the strongest proof there is of
      // owning the name: take the new key. Holding only the old one is not enough.
      if (!bytesEqual(lookup.directoryKey, key.publicKey))
        throw new DymError('denied', `These words are not ${name}'s current key: the ThreeFold directory lists another.`)
      await options.keys.acceptCurrentKey(name)
    } else {
      warning = `${lookup.message} Your words were not checked against the directory; people you meet will check when they can.`
    }
    const credential = signCredentialLocally({ name, appId: options.appId, userSeed: key.seed, devicePublicKey: options.devicePublicKey })
    return { credential, warning }
  } finally {
    key.seed.fill(0)
  }
}

/**
 * The core's message: word positions only. The words themselves stay out of errors (and so
 * out of any log); the sign-in screen shows them next to each word, from the same check.
 */
function describeForCore(check: Extract<SeedCheck, { ok: false }>): string {
  const parts: string[] = []
  if (check.unknown.length > 0) {
    const positions = check.unknown.map((p) => p.position)
    parts.push(
      positions.length === 1
        ? `Word ${positions[0]} is not in the seed word list.`
        : `Words ${positions.slice(0, 8).join(', ')} are not in the seed word list.`
    )
  }
  if (check.count) parts.push(`A 3Bot seed phrase has ${check.count.expected} words; this has ${check.count.got}.`)
  if (check.checksum) parts.push(check.message)
  return parts.join(' ')
}
