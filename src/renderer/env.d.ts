import type { DymApi } from '../shared/contract/index'

declare global {
  interface Window {
    /** The only door to the core: the Electron preload or the headless host's bridge. */
    readonly dym: DymApi
  }
}
