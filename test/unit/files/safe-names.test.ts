import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { publishWithoutOverwrite, safeFileName } from '../../../src/main/core/transfers/safe-names'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'dym-names-'))
  dirs.push(d)
  return d
}

describe('names of received files', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system.ini', 'system.ini'],
    ['/abs/path.txt', 'path.txt'],
    ['dir/..', 'file'],
    ['..', 'file'],
    ['.bashrc', 'bashrc'],
    ['', 'file'],
    ['report\u202Efdp.exe', 'reportfdp.exe'],
    ['in\u2066voice\u2069.pdf', 'invoice.pdf'],
    ['zero\u200Bwidth\u200D\uFEFF.txt', 'zerowidth.txt'],
    ['bell\u0007\nnewline.txt', 'bellnewline.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['trailing dots... ', 'trailing dots'],
    ['a:b*c?d"e<f>g|h.txt', 'a_b_c_d_e_f_g_h.txt']
  ])('%j is saved as %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe)
  })

  it('a very long name is cut to 200 bytes, keeping its extension and whole characters', () => {
    const name = safeFileName('ä'.repeat(300) + '.tar.gz')
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200)
    expect(name.endsWith('.gz')).toBe(true)
    expect(name).not.toContain('\uFFFD')
  })

  it('never replaces a file, a folder or a link: the next free number is used', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'notes.txt'), 'mine')
    symlinkSync('/etc/hostname', path.join(dir, 'notes (1).txt'))
    const temp = path.join(dir, '.dym-x.part')
    writeFileSync(temp, 'theirs')
    const saved = await publishWithoutOverwrite(temp, dir, 'notes.txt')
    expect(saved).toBe('notes (2).txt')
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine')
    expect(readFileSync(path.join(dir, 'notes (2).txt'), 'utf8')).toBe('theirs')
    expect(existsSync(temp)).toBe(false)
    expect(readdirSync(dir).sort()).toEqual(['notes (1).txt', 'notes (2).txt', 'notes.txt'])
  })
})
