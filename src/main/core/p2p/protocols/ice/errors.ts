import type { IceRefusalCode } from './messages'

/** A relay said no; `reason` is in words a person can act on. */
export class IceRefusedError extends Error {
  override readonly name = 'IceRefusedError'
  constructor(
    readonly code: IceRefusalCode,
    readonly reason: string
  ) {
    super(reason)
  }
}
