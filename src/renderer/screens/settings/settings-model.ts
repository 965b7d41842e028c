import { Settings } from '../../../shared/contract/index'

/** The app settings as the core's settings service keeps them (settings.get / settings.update). */
export type AppSettings = Settings

export const DEFAULT_SETTINGS: AppSettings = Settings.parse({})

/** The form: what the inputs hold (text), before validation turns it into settings. */
export interface SettingsForm {
  directoryUrl: string
  loginUrl: string
  appId: string
  bootstrap: string
  relays: string
  iceServers: Array<{ urls: string; username: string; credential: string }>
  iceTransportPolicy: 'all' | 'relay'
  videoQuality: 'low' | 'medium' | 'high'
  recordingsDir: string
  downloadsDir: string
  devices: { cameraId: string; micId: string; speakerId: string }
}

export type SettingsErrors = Partial<Record<string, string>>

export function toForm(s: AppSettings): SettingsForm {
  return {
    directoryUrl: s.directoryUrl,
    loginUrl: s.loginUrl,
    appId: s.appId,
    bootstrap: s.bootstrap.join('\n'),
    relays: s.relays.join('\n'),
    iceServers: s.iceServers.map((i) => ({
      urls: Array.isArray(i.urls) ? i.urls.join(', ') : i.urls,
      username: i.username ?? '',
      credential: i.credential ?? ''
    })),
    iceTransportPolicy: s.iceTransportPolicy,
    videoQuality: s.videoQuality,
    recordingsDir: s.recordingsDir ?? '',
    downloadsDir: s.downloadsDir ?? '',
    devices: { cameraId: s.devices.cameraId ?? '', micId: s.devices.micId ?? '', speakerId: s.devices.speakerId ?? '' }
  }
}

const MULTIADDR = /^\/(ip4|ip6|dns|dns4|dns6|dnsaddr)\/[^/\s]+(\/[^/\s]+)*$/
const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/

function webUrl(value: string): string | null {
  try {
    const u = new URL(value)
    if (u.protocol === 'https:') return null
    if (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost')) return null
    return 'Use an https:// address (http:// only for localhost).'
  } catch {
    return 'Enter a full address, like https://login.threefold.me.'
  }
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')

/** Check every field; errors are keyed by field name (ice servers as `iceServers.N.urls`). */
export function validateSettings(form: SettingsForm): { ok: true; value: AppSettings } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {}
  for (const field of ['directoryUrl', 'loginUrl'] as const) {
    const problem = webUrl(form[field].trim())
    if (problem) errors[field] = problem
  }
  // The same rule as the settings service: the 3Bot login sends the browser to https://<appId>/.
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/.test(form.appId.trim().toLowerCase()))
    errors.appId = 'A host name, like digitalyou.meet.'
  const bootstrap = lines(form.bootstrap)
  const relays = lines(form.relays)
  for (const [field, list] of [
    ['bootstrap', bootstrap],
    ['relays', relays]
  ] as const) {
    const bad = list.find((a) => !MULTIADDR.test(a) || a.length > 500)
    if (bad) errors[field] = `"${bad.slice(0, 60)}" is not a libp2p address (like /dns4/relay.example.org/tcp/4001/p2p/12D3Koo…).`
    else if (list.length > 50) errors[field] = 'At most 50 addresses.'
  }
  const iceServers: AppSettings['iceServers'] = []
  form.iceServers.forEach((server, i) => {
    const urls = server.urls
      .split(/[\s,]+/)
      .map((u) => u.trim())
      .filter((u) => u !== '')
    if (urls.length === 0) return void (errors[`iceServers.${i}.urls`] = 'Enter a stun: or turn: address, or remove this server.')
    const bad = urls.find((u) => !ICE_URL.test(u))
    if (bad) return void (errors[`iceServers.${i}.urls`] = `"${bad.slice(0, 60)}" must start with stun:, stuns:, turn: or turns:.`)
    const isTurn = urls.some((u) => u.startsWith('turn'))
    if (isTurn && (!server.username.trim() || !server.credential))
      return void (errors[`iceServers.${i}.credential`] = 'A TURN server needs a username and a password.')
    iceServers.push({
      urls: urls.length === 1 ? (urls[0] as string) : urls,
      ...(server.username.trim() ? { username: server.username.trim() } : {}),
      ...(server.credential ? { credential: server.credential } : {})
    })
  })
  const hasTurn = iceServers.some((s) => [s.urls].flat().some((u) => u.startsWith('turn')))
  if (form.iceTransportPolicy === 'relay' && !hasTurn) errors.iceTransportPolicy = 'Relay-only needs at least one TURN server above.'
  const dir = form.recordingsDir.trim()
  if (dir !== '' && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(dir))
    errors.recordingsDir = 'Enter a full folder path, or leave empty for the default.'
  const downloads = form.downloadsDir.trim()
  if (downloads !== '' && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(downloads))
    errors.downloadsDir = 'Enter a full folder path, or leave empty for the default.'
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const devices = Object.fromEntries(Object.entries(form.devices).filter(([, v]) => v !== '')) as AppSettings['devices']
  // The contract has the last word (lengths, counts): what it refuses is shown on its field.
  const checked = Settings.safeParse({
    directoryUrl: form.directoryUrl.trim(),
    loginUrl: form.loginUrl.trim(),
    appId: form.appId.trim().toLowerCase(),
    bootstrap,
    relays,
    iceServers,
    iceTransportPolicy: form.iceTransportPolicy,
    videoQuality: form.videoQuality,
    recordingsDir: dir === '' ? null : dir,
    downloadsDir: downloads === '' ? null : downloads,
    devices
  })
  if (checked.success) return { ok: true, value: checked.data }
  for (const issue of checked.error.issues) errors[issue.path.slice(0, issue.path[0] === 'iceServers' ? 3 : 1).join('.')] ??= issue.message
  return { ok: false, errors }
}
