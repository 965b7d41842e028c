import type { z } from 'zod'
import { appEvents, appMethods } from './app'
import { desktopEvents, desktopMethods } from './desktop'
import { fileEvents, fileMethods } from './files'
import { identityEvents, identityMethods } from './identity'
import { recordingEvents, recordingMethods } from './recording'
import { screenEvents, screenMethods } from './screen'
import { roomEvents, roomMethods } from './rooms'
import { settingsEvents, settingsMethods } from './settings'
import type { MethodSpec } from './define'

/**
 * The one contract between the renderer and the core. Every feature adds its own file and is
 * spread in here; nothing else in the app defines a request or an event.
 */
export const methods = {
  ...appMethods,
  ...identityMethods,
  ...settingsMethods,
  ...roomMethods,
  ...desktopMethods,
  ...screenMethods,
  ...recordingMethods,
  ...fileMethods
} satisfies Record<string, MethodSpec>

export const events = {
  ...appEvents,
  ...identityEvents,
  ...settingsEvents,
  ...roomEvents,
  ...desktopEvents,
  ...screenEvents,
  ...recordingEvents,
  ...fileEvents
} satisfies Record<string, z.ZodType>

export type Methods = typeof methods
export type MethodName = keyof Methods
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>

export type Events = typeof events
export type EventName = keyof Events
export type EventOf<E extends EventName> = z.output<Events[E]>

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

/**
 * What the renderer sees as `window.dym`, whichever host it runs in.
 * `invoke` rejects with a DymError; `on` returns its own unsubscribe.
 */
export interface DymApi {
  invoke<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void
}

export * from './errors'
export * from './app'
export * from './identity'
export * from './settings'
export * from './people'
export * from './rooms'
export * from './desktop'
export * from './screen'
export * from './recording'
export * from './files'
export { method, NoParams, Ok, DEFAULT_MAX_REQUEST_BYTES } from './define'
