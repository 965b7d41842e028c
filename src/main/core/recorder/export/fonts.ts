import { access } from 'node:fs/promises'
import path from 'node:path'

/**
 * Fonts ffmpeg's drawtext can write names with, by platform. The Debian package is
 * fonts-dejavu-core (a dependency of fontconfig, so of Chromium); macOS and Windows ship Arial.
 * DYM_FONT names another font file.
 */
function candidates(): string[] {
  const windir = process.env.WINDIR ?? 'C:\\Windows'
  return [
    process.env.DYM_FONT ?? '',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/TTF/DejaVuSans.ttf',
    '/usr/share/fonts/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
    '/System/Library/Fonts/Supplemental/Arial.ttf',
    '/Library/Fonts/Arial.ttf',
    path.join(windir, 'Fonts', 'arial.ttf'),
    path.join(windir, 'Fonts', 'segoeui.ttf')
  ].filter(Boolean)
}

let found: Promise<string | null> | null = null

/** The first font file that exists, or null (the export then shows no names, and says so in the log). */
export function findFont(): Promise<string | null> {
  found ??= (async () => {
    for (const file of candidates()) {
      try {
        await access(file)
        return file
      } catch {
        // next
      }
    }
    return null
  })()
  return found
}

/**
 * A value for an ffmpeg filter option, escaped for both levels it passes through: the option
 * (`:` separates options; `\` and `'` are special) and the filter graph (`[],;` too).
 */
export function filterValue(value: string): string {
  const option = value.replace(/[\\':]/g, (c) => `\\${c}`)
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`)
}
