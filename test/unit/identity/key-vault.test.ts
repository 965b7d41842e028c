import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileKeyVault, type SecretCodec } from '../../../src/main/core/identity/key-vault'
import { memoryLogger } from '../../../src/main/core/log'
import { makeTempDir } from '../../support/host-process'

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plain seed. */
const xorCodec: SecretCodec = {
  id: 'test-xor',
  seal: (plain) => Uint8Array.from(plain, (b) => b ^ 0xa5),
  open: (sealed) => Uint8Array.from(sealed, (b) => b ^ 0xa5)
}

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('device key vault', () => {
  it('plain file: mode 0600, round trip, wipe removes it', async () => {
    dir = makeTempDir('dym-vault-')
    const vault = createFileKeyVault({ dataDir: dir, log: memoryLogger() })
    expect(await vault.load()).toBeNull()
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i)
    await vault.save(seed)
    const file = path.join(dir, 'device-key.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await vault.load()).toEqual(seed)
    await vault.wipe()
    expect(existsSync(file)).toBe(false)
  })

  it('with a codec (the Electron safeStorage hook) the file holds only the sealed blob; a plain key is sealed on load', async () => {
    dir = makeTempDir('dym-vault-')
    const seed = Uint8Array.from({ length: 32 }, (_, i) => 200 - i)
    await createFileKeyVault({ dataDir: dir, log: memoryLogger() }).save(seed)
    const sealed = createFileKeyVault({ dataDir: dir, log: memoryLogger(), codec: xorCodec })
    expect(await sealed.load()).toEqual(seed)
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'device-key.json'), 'utf8')) as { codec: string; key: string }
    expect(onDisk.codec).toBe('test-xor')
    expect(onDisk.key).not.toBe(Buffer.from(seed).toString('base64'))
    expect(await sealed.load()).toEqual(seed)
  })

  it('a key that cannot be opened (other codec, corrupt) is set aside with a warning, never crashes', async () => {
    dir = makeTempDir('dym-vault-')
    await createFileKeyVault({ dataDir: dir, log: memoryLogger(), codec: xorCodec }).save(new Uint8Array(32).fill(7))
    const log = memoryLogger()
    expect(await createFileKeyVault({ dataDir: dir, log }).load()).toBeNull()
    expect(log.lines.join('\n')).toContain('sealed by test-xor, which this host cannot open')
    expect(existsSync(path.join(dir, 'device-key.json.bad'))).toBe(true)
    writeFileSync(path.join(dir, 'device-key.json'), '{"v":1,"codec":"plain","key":"AAAA"}')
    expect(await createFileKeyVault({ dataDir: dir, log }).load()).toBeNull()
    expect(log.lines.join('\n')).toContain('3 bytes, not 32')
    // Sign-out's wipe takes the set-aside copy too: it is a key.
    await createFileKeyVault({ dataDir: dir, log }).wipe()
    expect(existsSync(path.join(dir, 'device-key.json.bad'))).toBe(false)
  })
})
