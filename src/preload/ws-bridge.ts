import type { DymApi } from '../shared/contract/index'
import { WS_PATH } from '../shared/contract/ws-protocol'
import { createWsClient } from './ws-client'

/**
 * `window.dym` for the headless host: the same API as the Electron preload, carried over the
 * host's WebSocket (ws-client.ts). The host injects this script before the renderer, which
 * cannot tell the difference. The launch token comes from the URL once and is kept for
 * reloads of this tab.
 */
const TOKEN_KEY = 'dym.token'

function launchToken(): string {
  const url = new URL(location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

const client = createWsClient({ url: `ws://${location.host}${WS_PATH}?token=${encodeURIComponent(launchToken())}` })
;(window as unknown as { dym: DymApi }).dym = { invoke: client.invoke, on: client.on }
