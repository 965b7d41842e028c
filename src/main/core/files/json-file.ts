import { copyFile, readFile, rm, stat } from 'node:fs/promises'
import writeFileAtomic from 'write-file-atomic'
import type { z } from 'zod'

/**
 * Small files the core keeps in its data dir (settings, keys, pins, sign-in), written so a
 * crash or a full disk never leaves half a file: write-file-atomic writes a temp file next to
 * it (created with `mode`, so a key is never readable by others, even for a moment), fsyncs it
 * and renames it over; writes to one file queue behind each other.
 */
export async function writeJsonAtomic(file: string, value: unknown, mode = 0o600): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', { mode })
}

export type JsonRead<T> =
  | { state: 'missing' }
  | { state: 'ok'; value: T }
  /** Unreadable, too big, not JSON or not the schema; `raw` is the parsed JSON when there was some. */
  | { state: 'bad'; reason: string; raw?: unknown }

/**
 * Read a JSON file with a size cap and a schema. Never throws for a bad file: the caller
 * decides what a bad file means (defaults, signed out), and `keepBadCopy` saves it for a human.
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, maxBytes: number): Promise<JsonRead<z.output<S>>> {
  let size: number
  try {
    size = (await stat(file)).size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' }
    return { state: 'bad', reason: `cannot read: ${(err as Error).message}` }
  }
  if (size > maxBytes) return { state: 'bad', reason: `larger than ${maxBytes} bytes (${size})` }
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    return { state: 'bad', reason: `not JSON: ${(err as Error).message}` }
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { state: 'bad', reason: `${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`, raw }
  }
  return { state: 'ok', value: parsed.data }
}

/** Keep a bad file as `<file>.bad` (replacing an older one) so nothing the user wrote is lost. */
export async function keepBadCopy(file: string): Promise<string | null> {
  const bad = `${file}.bad`
  try {
    await copyFile(file, bad)
    return bad
  } catch {
    return null
  }
}

/** Remove a file; a missing one is fine. */
export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true })
}

/**
 * Run async jobs one after another (file writes, sign-in steps), so two requests never
 * interleave their reads and writes of the same file.
 */
export function createSerialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(job: () => Promise<T>) => {
    const run = tail.then(job, job)
    tail = run.catch(() => undefined)
    return run
  }
}
