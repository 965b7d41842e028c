import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { datePrefix, insideFolder, reserveUniqueFile, titleSlug } from '../../../src/main/core/recorder/file-names'

describe('recording file names', () => {
  it('YYYY-MM-DD_HH-MM in local time, and titles any file system accepts', () => {
    expect(datePrefix(new Date(2026, 0, 5, 9, 7))).toBe('2026-01-05_09-07')
    expect(titleSlug('Weekly sync: team/ops?')).toBe('Weekly-sync-team-ops')
    expect(titleSlug('Réunion équipe 東京')).toBe('Réunion-équipe-東京')
    expect(titleSlug('...')).toBe('meeting')
    expect(titleSlug('')).toBe('meeting')
    expect(titleSlug('CON')).toBe('CON-meeting')
    expect(titleSlug('x'.repeat(200))).toHaveLength(60)
  })

  it('never reuses a name: the second and third get _2 and _3', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dym-names-'))
    try {
      const names = await Promise.all([1, 2, 3].map(() => reserveUniqueFile(dir, '2026-01-05_09-07_Standup', '.mkv')))
      expect(names.sort()).toEqual(['2026-01-05_09-07_Standup.mkv', '2026-01-05_09-07_Standup_2.mkv', '2026-01-05_09-07_Standup_3.mkv'])
      expect(readdirSync(dir)).toHaveLength(3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('names from the renderer stay inside the folder', () => {
    expect(insideFolder('/rec', 'a.mkv')).toBe(path.resolve('/rec/a.mkv'))
    expect(insideFolder('/rec', '../a.mkv')).toBeNull()
    expect(insideFolder('/rec', '.hidden.mkv')).toBeNull()
    expect(insideFolder('/rec', 'sub/a.mkv')).toBeNull()
  })
})
