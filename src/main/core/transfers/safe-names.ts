import { link, lstat, rename, unlink } from 'node:fs/promises'
import path from 'node:path'

/** Longest name we write, in UTF-8 bytes (most file systems allow 255). */
const MAX_NAME_BYTES = 200
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i
// Characters Windows (or a shell) treats specially, and every path separator.
const FORBIDDEN = /[/\\:*?"<>|]/g
// Control and format characters: C0/C1 controls, bidi overrides and isolates (U+202A-202E,
// U+2066-2069), marks (U+200E/F, U+061C), zero-width spaces and joiners, BOM. These make
// "invoice\u202Efdp.exe" look like "invoiceexe.pdf", or hide characters in a name.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu

/**
 * A name someone else chose, made safe to show and to write in one folder: one path component
 * (no separators, no "." or ".."), no invisible or direction-changing characters, not hidden,
 * not a device name on Windows, not too long (the extension is kept), never empty.
 */
export function safeFileName(raw: string): string {
  // A path keeps only its last part ("../../etc/passwd" is "passwd"), as browsers do.
  const last =
    raw
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .split(/[/\\]/)
      .filter((part) => part.trim() !== '')
      .pop() ?? ''
  let name = last.replace(FORBIDDEN, '_').replace(/\s+/g, ' ')
  // Leading dots hide a file (and make "..");  trailing dots and spaces vanish on Windows.
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '')
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`
  name = truncateKeepingExtension(name, MAX_NAME_BYTES)
  return name === '' ? 'file' : name
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name
  const ext = path.extname(name)
  const keepExt = ext.length > 0 && utf8Length(ext) <= 20 ? ext : ''
  let stem = keepExt ? name.slice(0, -keepExt.length) : name
  // Cut by code points, so no character is split in half.
  const points = [...stem]
  while (points.length > 0 && utf8Length(points.join('') + keepExt) > maxBytes) points.pop()
  stem = points.join('').replace(/[\s.]+$/, '')
  return (stem === '' ? 'file' : stem) + keepExt
}

/** "name.ext", then "name (1).ext", "name (2).ext", ... */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name
  const ext = path.extname(name)
  const stem = ext ? name.slice(0, -ext.length) : name
  return `${stem} (${n})${ext}`
}

/**
 * Give the finished temp file its name in `folder` without ever replacing a file: a hard link
 * fails if the name is taken (by a file, a folder or a link, which it never follows), so the
 * next free number is tried. Where the file system has no hard links, an exclusive rename
 * fallback checks first. Returns the name used.
 */
export async function publishWithoutOverwrite(tempPath: string, folder: string, name: string): Promise<string> {
  for (let n = 0; n < 1000; n++) {
    const candidate = numberedName(name, n)
    const target = path.join(folder, candidate)
    if (path.dirname(target) !== folder) throw new Error('a file name left its folder')
    try {
      await link(tempPath, target)
      await unlink(tempPath)
      return candidate
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') return renameIfFree(tempPath, folder, name, n)
      throw err
    }
  }
  throw new Error('no free name for the file')
}

async function renameIfFree(tempPath: string, folder: string, name: string, from: number): Promise<string> {
  for (let n = from; n < 1000; n++) {
    const candidate = numberedName(name, n)
    const target = path.join(folder, candidate)
    try {
      await lstat(target)
      continue
    } catch {
      await rename(tempPath, target)
      return candidate
    }
  }
  throw new Error('no free name for the file')
}
