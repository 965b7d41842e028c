import { z } from 'zod'
import { method, Ok } from './define'

/**
 * Screen sharing in the desktop app: getDisplayMedia in the renderer makes the shell list the
 * screens and windows (Electron's desktopCapturer), the core sends them to the renderer as
 * `screen.pick-request`, the renderer's picker answers with `screen.pick`. In the headless host
 * Chromium shows its own picker and none of this is used.
 */
export const MAX_SCREEN_SOURCES = 40
/** A 320x180 JPEG thumbnail is ~10-25 KB as a data URL; anything past this cap is dropped. */
export const MAX_THUMBNAIL_CHARS = 96 * 1024

export const ScreenSourceKind = z.enum(['screen', 'window'])
export type ScreenSourceKind = z.infer<typeof ScreenSourceKind>

export const ThumbnailDataUrl = z
  .string()
  .max(MAX_THUMBNAIL_CHARS)
  .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]*={0,2}$/, 'a thumbnail is a base64 PNG or JPEG data URL')

export const ScreenSource = z.object({
  /** desktopCapturer id, e.g. "screen:0:0" or "window:1234:0" */
  id: z.string().min(1).max(200),
  /** "Entire screen", "Screen 2", or the window title */
  name: z.string().max(200),
  kind: ScreenSourceKind,
  /** null when the OS gave no picture (e.g. macOS without screen recording permission) */
  thumbnail: ThumbnailDataUrl.nullable()
})
export type ScreenSource = z.infer<typeof ScreenSource>

export const PickRequestId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'a pick request id')

export const ScreenPickRequest = z.object({
  requestId: PickRequestId,
  sources: z.array(ScreenSource).max(MAX_SCREEN_SOURCES),
  /** System audio can be shared too (Windows only: Electron's 'loopback'), and the page asked for audio. */
  audioAvailable: z.boolean()
})
export type ScreenPickRequest = z.infer<typeof ScreenPickRequest>

export const screenMethods = {
  /** The user's choice for one pick request; `sourceId: null` cancels (getDisplayMedia rejects). */
  'screen.pick': method(
    z.object({ requestId: PickRequestId, sourceId: z.string().min(1).max(200).nullable(), audio: z.boolean().default(false) }),
    Ok
  )
}

export const screenEvents = {
  /** Show the picker. */
  'screen.pick-request': ScreenPickRequest,
  /** Close the picker without an answer: the request timed out or was superseded. */
  'screen.pick-cancelled': z.object({ requestId: PickRequestId })
}
