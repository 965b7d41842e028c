import { open } from 'node:fs/promises'
import path from 'node:path'

/** Characters no file system of ours accepts in a name, plus control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f]/g
/**
 * Characters that change how a name is shown, not what it says: bidi overrides and isolates
 * (U+202E makes "gpj.exe" read "exe.jpg"), marks and zero-width joiners. Dropped from names.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g
/** Bytes of the title part of a name: with the date and `_99.mkv` it stays under 255 bytes everywhere. */
const MAX_SLUG_BYTES = 180

/**
 * A meeting title as the last part of a file name: readable (letters of any script kept),
 * safe on Windows, macOS and Linux, at most 60 characters, never empty.
 */
export function titleSlug(title: string): string {
  const slug = cutToBytes(
    [
      ...title
        .normalize('NFC')
        .replace(INVISIBLE, '')
        .replace(UNSAFE, ' ')
        .trim()
        .replace(/\s+/g, '-')
        .replace(/^[.-]+|[.\s-]+$/g, '')
    ]
      .slice(0, 60)
      .join(''),
    MAX_SLUG_BYTES
  ).replace(/[.\s-]+$/g, '')
  // Windows reserves these as whole names (also with an extension).
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(slug)) return `${slug}-meeting`
  return slug.length > 0 ? slug : 'meeting'
}

/** The longest start of `text` (whole code points) that fits `max` UTF-8 bytes. */
function cutToBytes(text: string, max: number): string {
  const encoder = new TextEncoder()
  let out = ''
  let bytes = 0
  for (const ch of text) {
    bytes += encoder.encode(ch).byteLength
    if (bytes > max) break
    out += ch
  }
  return out
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `YYYY-MM-DD_HH-MM` in local time: what people see in their file manager. */
export function datePrefix(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}_${pad(at.getHours())}-${pad(at.getMinutes())}`
}

export function recordingBaseName(at: Date, title: string): string {
  return `${datePrefix(at)}_${titleSlug(title)}`
}

/** `YYYY-MM-DD_HH-MM_` at the start of a name, if present (kept when a recording is renamed). */
export function splitDatePrefix(base: string): { prefix: string; rest: string } {
  const m = /^(\d{4}-\d{2}-\d{2}_\d{2}-\d{2}_)(.*)$/.exec(base)
  return m ? { prefix: m[1] ?? '', rest: m[2] ?? '' } : { prefix: '', rest: base }
}

/**
 * Creates `<dir>/<base><ext>` exclusively, or `<base>_2<ext>`, `_3`… when taken, and returns its
 * name. The empty file is the reservation: two recordings started in the same minute with the
 * same title can never write to one file, and nothing is ever overwritten.
 */
export async function reserveUniqueFile(dir: string, base: string, ext: string): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const name = n === 1 ? `${base}${ext}` : `${base}_${n}${ext}`
    try {
      const handle = await open(path.join(dir, name), 'wx')
      await handle.close()
      return name
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  throw new Error(`no free file name for ${base}${ext} in ${dir}`)
}

/** A name from the renderer, resolved inside the folder; null if it would point anywhere else. */
export function insideFolder(folder: string, name: string): string | null {
  if (name !== path.basename(name) || name.startsWith('.')) return null
  const full = path.resolve(folder, name)
  return path.dirname(full) === path.resolve(folder) ? full : null
}
