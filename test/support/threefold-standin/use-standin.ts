import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Core } from '../../../src/main/core/core'
import type { SettingsPatch } from '../../../src/shared/contract/settings'
import { makeTempDir, removeDir } from '../host-process'
import { standinSettings, writeHostSettings } from '../settings'
import { startThreefoldStandin, type ThreefoldStandin } from './server'
import { ALICE } from './test-identities'

/**
 * A ThreeFold stand-in for one test file, and the cores a test signs in through it: after each
 * test its cores are stopped, its data dirs removed, and the stand-in's faults and keys reset.
 */
export function useStandinCores() {
  let standin: ThreefoldStandin | null = null
  const cores: Core[] = []
  const dirs: string[] = []
  beforeAll(async () => {
    standin = await startThreefoldStandin()
  })
  afterAll(() => standin?.close())
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.stop()
    for (const dir of dirs.splice(0)) removeDir(dir)
    standin?.setDirectoryFault(null)
    standin?.setUserKey(ALICE.name, ALICE.publicKey)
  })
  return {
    get standin(): ThreefoldStandin {
      if (!standin) throw new Error('the stand-in starts in beforeAll')
      return standin
    },
    /** A data dir (removed after the test) whose settings.json points at the stand-in, plus `settings`. */
    dataDir(prefix: string, settings: SettingsPatch = {}): string {
      const dir = makeTempDir(prefix)
      dirs.push(dir)
      writeHostSettings(dir, { ...standinSettings(this.standin.url), ...settings })
      return dir
    },
    /** Stop this core after the test. */
    track(core: Core): Core {
      cores.push(core)
      return core
    }
  }
}
