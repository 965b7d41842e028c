import { validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'

/**
 * Checking a typed 3Bot seed phrase word by word. Pure, so the sign-in screen shows the same
 * word-level errors as the core, which checks again (the renderer is never trusted).
 */
export const SEED_WORD_COUNT = 24
export const SEED_TEXT_MAX = 1000

const WORDS = new Set(wordlist)

export interface WordProblem {
  /** 1-based, as people count */
  position: number
  word: string
  suggestion?: string
}

export type SeedCheck =
  | { ok: true; words: string[] }
  | {
      ok: false
      words: string[]
      /** words that are not in the BIP39 English list */
      unknown: WordProblem[]
      /** set when the number of words is wrong */
      count?: { expected: number; got: number }
      /** all words known, right count, but the checksum word does not match */
      checksum?: true
      /** one sentence for the whole problem */
      message: string
    }

/** Words as typed: any whitespace, commas or numbering ("1. calm 2. science") between them. */
export function splitSeedWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .split(/[\s,;]+/)
    .map((w) => w.replace(/^\d+[.):]?$/, ''))
    .filter((w) => w.length > 0)
}

export function checkSeedPhrase(text: string): SeedCheck {
  const words = splitSeedWords(text.slice(0, SEED_TEXT_MAX))
  if (words.length === 0)
    return {
      ok: false,
      words,
      unknown: [],
      count: { expected: SEED_WORD_COUNT, got: 0 },
      message: 'Type or paste your 24-word seed phrase.'
    }
  const unknown: WordProblem[] = []
  words.forEach((word, i) => {
    if (!WORDS.has(word)) {
      const suggestion = suggestWord(word)
      unknown.push(suggestion ? { position: i + 1, word, suggestion } : { position: i + 1, word })
    }
  })
  const count = words.length === SEED_WORD_COUNT ? undefined : { expected: SEED_WORD_COUNT, got: words.length }
  if (unknown.length > 0 || count) {
    const parts: string[] = []
    if (unknown.length > 0) parts.push(describeUnknown(unknown))
    if (count) parts.push(`A 3Bot seed phrase has ${SEED_WORD_COUNT} words; this has ${count.got}.`)
    return { ok: false, words, unknown, ...(count ? { count } : {}), message: parts.join(' ') }
  }
  if (!validateMnemonic(words.join(' '), wordlist)) {
    return {
      ok: false,
      words,
      unknown: [],
      checksum: true,
      message:
        'Every word is valid, but together they are not a valid seed phrase (the checksum does not match). Check the order of the words and that none was swapped for another.'
    }
  }
  return { ok: true, words }
}

function describeUnknown(problems: WordProblem[]): string {
  const one = (p: WordProblem) => `word ${p.position}, "${p.word}"${p.suggestion ? ` (did you mean "${p.suggestion}"?)` : ''}`
  if (problems.length === 1) {
    const p = problems[0] as WordProblem
    return `Word ${p.position}, "${p.word}", is not in the seed word list.${p.suggestion ? ` Did you mean "${p.suggestion}"?` : ''}`
  }
  const shown = problems.slice(0, 4).map(one).join('; ')
  return `${problems.length} words are not in the seed word list: ${shown}${problems.length > 4 ? '; …' : ''}.`
}

/**
 * The list word the person most likely meant: BIP39 words are unique in their first four
 * letters, so a matching prefix wins; otherwise the closest word by edit distance (at most 2
 * edits, counting a swap of two neighbours as one), ties broken by the longer common prefix.
 */
export function suggestWord(typed: string): string | undefined {
  const word = typed.toLowerCase()
  if (word.length === 0 || word.length > 16) return undefined
  if (word.length >= 4) {
    const byPrefix = wordlist.find((w) => w.startsWith(word.slice(0, 4)) && (word.startsWith(w) || w.startsWith(word)))
    if (byPrefix) return byPrefix
  }
  let best: string | undefined
  let bestDistance = 3
  let bestPrefix = -1
  for (const candidate of wordlist) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue
    const distance = editDistance(word, candidate, bestDistance)
    const prefix = commonPrefix(word, candidate)
    if (distance < bestDistance || (distance === bestDistance && prefix > bestPrefix)) {
      best = candidate
      bestDistance = distance
      bestPrefix = prefix
    }
  }
  return bestDistance <= 2 && word.length >= 3 ? best : undefined
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** Optimal string alignment distance; gives up (returns `limit`) once every path is over it. */
function editDistance(a: string, b: string, limit: number): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (rows[i - 2]?.[j - 2] ?? 0) + 1)
      row.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin >= limit) return limit
    rows.push(row)
  }
  return rows[a.length]?.[b.length] ?? limit
}
