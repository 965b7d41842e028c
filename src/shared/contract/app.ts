import { z } from 'zod'
import { method, NoParams } from './define'

export const HostKind = z.enum(['electron', 'headless'])
export type HostKind = z.infer<typeof HostKind>

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  hostKind: HostKind,
  platform: z.string()
})
export type AppInfo = z.infer<typeof AppInfo>

export const CoreStatus = z.object({
  state: z.enum(['starting', 'ready', 'stopping']),
  detail: z.string().max(500).optional()
})
export type CoreStatus = z.infer<typeof CoreStatus>

export const appMethods = {
  'app.info': method(NoParams, AppInfo),
  'core.status': method(NoParams, CoreStatus)
}

export const appEvents = {
  'core.status': CoreStatus
}
