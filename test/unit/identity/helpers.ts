import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createCredentialVerifier } from '../../../src/main/core/identity/credential-verifier'
import { createDirectoryClient } from '../../../src/main/core/identity/directory-client'
import { createKeyDirectory } from '../../../src/main/core/identity/key-directory'
import { createKeyPins } from '../../../src/main/core/identity/key-pins'
import { memoryLogger } from '../../../src/main/core/log'

export const APP_ID = 'digitalyou.meet'

/** The verify path as the core builds it, against a stand-in, with pins in a temp dir. */
export async function verifierAgainst(directoryUrl: string, options: { timeoutMs?: number; dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'dym-verify-'))
  const log = memoryLogger()
  const pins = createKeyPins(dataDir, log)
  await pins.load()
  const client = createDirectoryClient({ baseUrl: () => directoryUrl, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) })
  const keys = createKeyDirectory(client, pins)
  const verify = createCredentialVerifier({ appId: () => APP_ID, keys })
  return { verify, keys, pins, client, log, dataDir, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) }
}
