import os from 'node:os'
import type { CoreStatus, HostKind } from '../../../shared/contract/index'
import type { Service } from '../service'
import { APP_NAME, APP_VERSION } from '../version'

export interface AppServiceOptions {
  dataDir: string
  hostKind: HostKind
  status: () => CoreStatus
}

/** Facts about this app instance: version, where its data lives, which host runs it. */
export function createAppService(options: AppServiceOptions): Service<'app.info' | 'core.status'> {
  return {
    name: 'app',
    handlers: {
      'app.info': () => ({
        name: APP_NAME,
        version: APP_VERSION,
        dataDir: options.dataDir,
        hostKind: options.hostKind,
        platform: `${os.platform()}-${os.arch()}`
      }),
      'core.status': () => options.status()
    }
  }
}
