import { z } from 'zod'
import { method, NoParams } from './define'

/**
 * The app's settings: one JSON file in the data dir (`settings.json`), read by the core at
 * start and changed through `settings.update`. Every field has a default, so a missing or
 * partly broken file still gives a working app.
 */
const httpUrl = z
  .string()
  .trim()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
    } catch {
      return false
    }
  }, 'an http(s) address like https://login.threefold.me')
  // One form for every consumer: no trailing slash, so `${url}/api/...` is always right.
  .transform((value) => value.replace(/\/+$/, ''))

/** A host name (the 3Bot login sends the browser to https://<appId>/...). */
export const AppId = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, 'a host name like digitalyou.meet')

/** A libp2p multiaddr as text; the p2p layer parses it properly. */
const MultiaddrText = z.string().trim().min(2).max(512).regex(/^\//, 'a multiaddr starts with /')

const IceUrl = z
  .string()
  .trim()
  .max(512)
  .regex(/^(stun|stuns|turn|turns):/, 'a STUN/TURN address starts with stun:, stuns:, turn: or turns:')
export const IceServer = z.object({
  urls: z.union([IceUrl, z.array(IceUrl).min(1).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(512).optional()
})
export type IceServer = z.infer<typeof IceServer>

/** An absolute path on any desktop OS (checked again by the recorder before use). */
const AbsolutePath = z
  .string()
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute folder path')

const DeviceId = z.string().max(256)
export const DeviceChoice = z.object({
  cameraId: DeviceId.optional(),
  micId: DeviceId.optional(),
  speakerId: DeviceId.optional()
})

export const DEFAULT_DIRECTORY_URL = 'https://login.threefold.me'
export const DEFAULT_APP_ID = 'digitalyou.meet'

/** The schema of each field, without defaults (a patch uses these). */
/** What the camera shows behind the person: as it is, blurred, or one of the app's pictures. */
export const BACKGROUNDS = ['none', 'blur', 'dusk', 'studio', 'sea'] as const
export const Background = z.enum(BACKGROUNDS)
export type Background = z.infer<typeof Background>

const fields = {
  /** Where 3Bot names are looked up: GET {directoryUrl}/api/users/<name>.3bot */
  directoryUrl: httpUrl,
  /** The ThreeFold Connect login page. */
  loginUrl: httpUrl,
  /** Our app id in 3Bot logins and credentials. Changing it invalidates every credential. */
  appId: AppId,
  /** libp2p bootstrap peers (multiaddrs with /p2p/<id>). */
  bootstrap: z.array(MultiaddrText).max(64),
  /** Circuit-relay v2 nodes to reserve a slot on when behind a NAT. */
  relays: z.array(MultiaddrText).max(64),
  iceServers: z.array(IceServer).max(16),
  iceTransportPolicy: z.enum(['all', 'relay']),
  videoQuality: z.enum(['low', 'medium', 'high']),
  /** RNNoise on the microphone, on top of the browser's own suppression (the switch in pre-join and the meeting) */
  noiseSuppression: z.boolean(),
  /** what is behind the person in what we send: as it is, blurred, or one of the app's pictures (pre-join and the meeting) */
  background: Background,
  /** null = the default recordings folder */
  recordingsDir: AbsolutePath.nullable(),
  /** null = the default downloads folder (files received in chat go there) */
  downloadsDir: AbsolutePath.nullable(),
  devices: DeviceChoice
}

/** Each field with its default: the file may hold any subset. */
export const settingsFields = {
  directoryUrl: fields.directoryUrl.default(DEFAULT_DIRECTORY_URL),
  loginUrl: fields.loginUrl.default(DEFAULT_DIRECTORY_URL),
  appId: fields.appId.default(DEFAULT_APP_ID),
  bootstrap: fields.bootstrap.default([]),
  relays: fields.relays.default([]),
  iceServers: fields.iceServers.default([]),
  iceTransportPolicy: fields.iceTransportPolicy.default('all'),
  videoQuality: fields.videoQuality.default('medium'),
  noiseSuppression: fields.noiseSuppression.default(false),
  background: fields.background.default('none'),
  recordingsDir: fields.recordingsDir.default(null),
  downloadsDir: fields.downloadsDir.default(null),
  devices: fields.devices.default({})
}

export const Settings = z.object(settingsFields)
export type Settings = z.infer<typeof Settings>
export type SettingsField = keyof Settings

/**
 * A change: each given field replaces the stored one (whole arrays and objects, no deep merge),
 * and the result must still be valid settings.
 */
export const SettingsPatch = z.object(fields).partial().strict()
export type SettingsPatch = z.input<typeof SettingsPatch>

export const SETTINGS_MAX_FILE_BYTES = 64 * 1024

export const settingsMethods = {
  'settings.get': method(NoParams, Settings),
  'settings.update': method(SettingsPatch, Settings, { maxBytes: 32 * 1024 })
}

export const settingsEvents = {
  /** The whole settings after any change. */
  'settings.changed': Settings
}
