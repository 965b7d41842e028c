import path from 'node:path'
import { z } from 'zod'
import { ThreeBotName } from '../../../shared/contract/people'
import { createSerialQueue, keepBadCopy, readJsonFile, writeJsonAtomic } from '../files/json-file'
import type { Logger } from '../log'
import { bytesEqual, fromBase64, toBase64 } from './keys'

/**
 * Trust on first use: the first directory key seen for a name is kept in `known-keys.json`.
 * A later, different key is never taken silently (see KeyDirectory); only an explicit
 * `replace` (the person accepted the change) moves the pin.
 */
export const PINS_FILE = 'known-keys.json'
const MAX_PINS = 10_000
const MAX_FILE_BYTES = 2 * 1024 * 1024

const PinRecord = z.object({ publicKey: z.string().length(44), firstSeen: z.number().int().nonnegative() })
const PinFile = z.object({
  v: z.literal(1),
  keys: z.record(ThreeBotName, PinRecord).refine((keys) => Object.keys(keys).length <= MAX_PINS, `at most ${MAX_PINS} names`)
})

export interface Pin {
  readonly publicKey: Uint8Array
  /** ms since epoch */
  readonly firstSeen: number
}

export interface KeyPins {
  load(): Promise<void>
  get(name: string): Pin | undefined
  /** Pin a first-seen key; returns the existing pin unchanged if the name has one. */
  pinIfNew(name: string, publicKey: Uint8Array): Promise<Pin>
  /** Move a pin to a new key (only after the person accepted the change). */
  replace(name: string, publicKey: Uint8Array): Promise<Pin>
}

export function createKeyPins(dataDir: string, log: Logger): KeyPins {
  const file = path.join(dataDir, PINS_FILE)
  const pins = new Map<string, Pin>()
  const serial = createSerialQueue()

  const save = () =>
    serial(async () => {
      const keys = Object.fromEntries(
        [...pins].map(([name, pin]) => [name, { publicKey: toBase64(pin.publicKey), firstSeen: pin.firstSeen }])
      )
      await writeJsonAtomic(file, { v: 1, keys })
    })

  const set = async (name: string, publicKey: Uint8Array): Promise<Pin> => {
    if (!pins.has(name) && pins.size >= MAX_PINS) {
      // Forget the oldest pin rather than refuse to work: a full list is an edge, not an attack.
      const oldest = [...pins].sort((a, b) => a[1].firstSeen - b[1].firstSeen)[0]
      if (oldest) pins.delete(oldest[0])
    }
    const pin = { publicKey: Uint8Array.from(publicKey), firstSeen: Date.now() }
    pins.set(name, pin)
    try {
      await save()
    } catch (err) {
      log.warn(`could not save ${PINS_FILE}`, err)
    }
    return pin
  }

  return {
    async load() {
      const read = await readJsonFile(file, PinFile, MAX_FILE_BYTES)
      pins.clear()
      if (read.state === 'missing') return
      if (read.state === 'bad') {
        const copy = await keepBadCopy(file)
        log.warn(`${PINS_FILE} is unusable (${read.reason}); starting with no pinned keys${copy ? ` (kept as ${copy})` : ''}`)
        return
      }
      for (const [name, record] of Object.entries(read.value.keys)) {
        const key = fromBase64(record.publicKey)
        if (key?.length === 32) pins.set(name, { publicKey: key, firstSeen: record.firstSeen })
      }
    },
    get: (name) => pins.get(name),
    async pinIfNew(name, publicKey) {
      const existing = pins.get(name)
      if (existing) return existing
      return set(name, publicKey)
    },
    async replace(name, publicKey) {
      const existing = pins.get(name)
      if (existing && bytesEqual(existing.publicKey, publicKey)) return existing
      log.warn(`${name}: pinned key replaced after the change was accepted`)
      return set(name, publicKey)
    }
  }
}
