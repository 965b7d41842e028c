import { describe, expect, it } from 'vitest'
import { checkSeedPhrase, splitSeedWords, suggestWord } from '../../../src/shared/identity/mnemonic'
import { VECTOR_MNEMONIC } from '../../support/threefold-standin/test-identities'

const words = VECTOR_MNEMONIC.split(' ')
const withWord = (index: number, word: string) => words.map((w, i) => (i === index ? word : w)).join(' ')

describe('seed phrase checks (shared by the sign-in screen and the core)', () => {
  it('accepts the 24 words however they are pasted: case, commas, newlines, numbering', () => {
    expect(checkSeedPhrase(VECTOR_MNEMONIC)).toEqual({ ok: true, words })
    const messy = words.map((w, i) => `${i + 1}. ${w.toUpperCase()}`).join(',\n  ')
    expect(checkSeedPhrase(messy)).toEqual({ ok: true, words })
    expect(splitSeedWords('  calm\tscience\n\nteach  ')).toEqual(['calm', 'science', 'teach'])
  })

  it('wrong word count says how many there should be', () => {
    const check = checkSeedPhrase(words.slice(0, 23).join(' '))
    expect(check).toMatchObject({ ok: false, count: { expected: 24, got: 23 } })
    if (!check.ok) expect(check.message).toBe('A 3Bot seed phrase has 24 words; this has 23.')
    expect(checkSeedPhrase('')).toMatchObject({ ok: false, message: 'Type or paste your 24-word seed phrase.' })
  })

  it('an unknown word is named with its position and a suggestion', () => {
    const check = checkSeedPhrase(withWord(4, 'burts'))
    expect(check).toMatchObject({ ok: false, unknown: [{ position: 5, word: 'burts', suggestion: 'burst' }] })
    if (!check.ok) expect(check.message).toBe('Word 5, "burts", is not in the seed word list. Did you mean "burst"?')
    const two = checkSeedPhrase(withWord(0, 'clam').replace('fiscal', 'fiscl'))
    if (two.ok) throw new Error('expected problems')
    expect(two.unknown.map((p) => p.position)).toEqual([1, 24])
    expect(two.message).toContain('2 words are not in the seed word list')
  })

  it('suggestions: typos, swapped letters, truncations, and nothing for gibberish', () => {
    expect(suggestWord('sceince')).toBe('science')
    expect(suggestWord('tornad')).toBe('tornado')
    expect(suggestWord('mangoo')).toBe('mango')
    expect(suggestWord('teech')).toBe('teach')
    expect(suggestWord('qqqqzzzz')).toBeUndefined()
  })

  it('valid words in a wrong order fail the checksum, with a message that says so', () => {
    const swapped = [...words]
    ;[swapped[0], swapped[1]] = [swapped[1] as string, swapped[0] as string]
    const check = checkSeedPhrase(swapped.join(' '))
    expect(check).toMatchObject({ ok: false, checksum: true, unknown: [] })
    if (!check.ok) expect(check.message).toMatch(/checksum does not match/)
  })
})
