/**
 * 3Bot names as people type them ("Alice", "alice.3bot", " ALICE.3Bot ") become the one form
 * the directory and credentials use: lowercase, with the .3bot suffix.
 */
export function normalizeThreeBotName(typed: string): string {
  const trimmed = typed.trim().toLowerCase()
  return trimmed.endsWith('.3bot') ? trimmed : `${trimmed}.3bot`
}

// Format characters draw nothing; the bidi ones among them reorder what is drawn ("\u202Etob3.ecila"
// shows as alice.3bot). Joiners and variation selectors have a place between non-ASCII letters
// and emoji (Persian words, family emoji, a red heart) and none next to ASCII.
const FORMAT_OR_CONTROL = /(?![\u200C\u200D])[\p{Cf}\p{Cc}]/u
const JOINERS = new Set([0x200c, 0x200d])
const isVariationSelector = (cp: number) => cp >= 0xfe00 && cp <= 0xfe0f
// Letters drawn as nothing: Hangul fillers, Khmer inherent vowels, Mongolian variation selectors,
// the combining grapheme joiner, the blank Braille pattern.
const BLANK = new Set([0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180c, 0x180d, 0x180e, 0x180f, 0x3164, 0xffa0, 0x2800])

/** A display name that hides characters: nothing drawn, or text turned around. */
export function hasHiddenCharacters(name: string): boolean {
  if (FORMAT_OR_CONTROL.test(name)) return true
  const cps = Array.from(name, (c) => c.codePointAt(0) as number)
  const ascii = (i: number) => i < 0 || i >= cps.length || (cps[i] as number) < 0x80
  return cps.some(
    (cp, i) => BLANK.has(cp) || ((JOINERS.has(cp) || isVariationSelector(cp)) && ascii(i - 1)) || (JOINERS.has(cp) && ascii(i + 1))
  )
}

// Characters drawn like the ones of ".3bot" in common fonts, beyond what Unicode's compatibility
// forms (fullwidth ３, one-dot leader ․) already map.
const LOOKALIKES: Record<string, string> = {
  '\u0437': '3', // Cyrillic ze
  '\u04E1': '3', // Cyrillic abkhasian dze
  '\u0292': '3', // ezh
  '\u021D': '3', // yogh
  '\u044C': 'b', // Cyrillic soft sign
  '\u0185': 'b', // b with topbar (tone six)
  '\u1472': 'b', // Canadian syllabics ka
  '\u043E': 'o', // Cyrillic o
  '\u03BF': 'o', // Greek omicron
  '\u0585': 'o', // Armenian oh
  '\u1D0F': 'o', // small capital o
  '\u2C9F': 'o', // Coptic o
  '0': 'o',
  '\u0442': 't', // Cyrillic te
  '\u03C4': 't', // Greek tau
  '\u1D1B': 't', // small capital t
  '\u3002': '.', // ideographic full stop
  '\u00B7': '.', // middle dot
  '\u2027': '.', // hyphenation point
  '\u2219': '.', // bullet operator
  '\u0701': '.', // Syriac supralinear full stop
  '\u0702': '.', // Syriac sublinear full stop
  '\u2E31': '.', // word separator middle dot
  '\uA4F8': '.' // Lisu letter tone mya ti
}

/**
 * Guests may not look like a 3Bot name: a display name with ".3bot" in it (drawn by any
 * characters that look so) would read as verified.
 */
export function looksLikeThreeBotName(displayName: string): boolean {
  const folded = [
    ...displayName
      .normalize('NFKD')
      .replace(/[\p{M}\p{Cf}\s]/gu, '')
      .toLowerCase()
  ]
    .map((c) => LOOKALIKES[c] ?? c)
    .join('')
  return /\.3bot(?![\p{L}\p{N}])/u.test(folded)
}
