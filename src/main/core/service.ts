import type { EventName, EventOf, MethodName, ParsedRequestOf, ResponseOf } from '../../shared/contract/index'
import type { Logger } from './log'

/** Who sent a request: one renderer window or one WebSocket connection. */
export interface Caller {
  readonly id: string
}

export type Handler<M extends MethodName> = (request: ParsedRequestOf<M>, caller: Caller) => Promise<ResponseOf<M>> | ResponseOf<M>

/** One handler for every method of the contract; the compiler refuses a missing one. */
export type Handlers = { [M in MethodName]: Handler<M> }

export type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void

/** What every service gets from the core that hosts it. */
export interface ServiceContext {
  readonly dataDir: string
  readonly log: Logger
  readonly emit: Emit
}

/** A core service: its share of the handlers, and a lifecycle. */
export interface Service<M extends MethodName = MethodName> {
  readonly name: string
  readonly handlers: { [K in M]: Handler<K> }
  start?(): Promise<void>
  stop?(): Promise<void>
}
