import type { DymApi, EventName, EventOf, MethodName, RequestOf, ResponseOf } from '../../../src/shared/contract/index'

/** Local storage, in memory. */
export class MemoryStore {
  data = new Map<string, string>()
  getItem(k: string) {
    return this.data.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.data.set(k, v)
  }
}

type Handler = (request: never) => unknown

/**
 * Just enough of window.dym: the methods a test answers (others reject), every call kept in
 * `calls`, and `emit` to make core events arrive.
 */
export function fakeDym(handlers: { [M in MethodName]?: (request: RequestOf<M>) => ResponseOf<M> | Promise<ResponseOf<M>> } = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const calls: Array<{ method: MethodName; request: unknown }> = []
  const dym: DymApi = {
    invoke: async (method, request) => {
      calls.push({ method, request })
      const handler = handlers[method] as Handler | undefined
      if (!handler) throw new Error(`the fake core does not answer ${method}`)
      return (await handler(request as never)) as never
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: unknown) => void)
      return () => set.delete(listener as (payload: unknown) => void)
    }
  }
  const emit = <E extends EventName>(event: E, payload: EventOf<E>) => {
    for (const listener of listeners.get(event) ?? []) listener(payload)
  }
  return {
    dym,
    calls,
    emit,
    listening: (event: EventName) => listeners.get(event)?.size ?? 0,
    /** An offer from `from` in `roomId`, its SDP the text given (what the tests tell apart). */
    arrive: (roomId: string, from: string, sdp: string) =>
      emit('signal.received', { roomId, from, signal: { kind: 'description', description: { type: 'offer', sdp } } })
  }
}

export const sdpOf = (e: EventOf<'signal.received'>) => (e.signal.kind === 'description' ? e.signal.description.sdp : e.signal.kind)
