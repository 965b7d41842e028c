import { useEffect, useState } from 'react'
import {
  toDymError,
  type DymError,
  type EventName,
  type EventOf,
  type MethodName,
  type RequestOf,
  type ResponseOf
} from '../../../shared/contract/index'

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: DymError }

/** Ask the core once (and again when `deps` change); the result as a loadable value. */
export function useCoreQuery<M extends MethodName>(method: M, request: RequestOf<M>, deps: unknown[] = []): Loadable<ResponseOf<M>> {
  const [result, setResult] = useState<Loadable<ResponseOf<M>>>({ state: 'loading' })
  useEffect(() => {
    let live = true
    window.dym.invoke(method, request).then(
      (value) => live && setResult({ state: 'ready', value }),
      (err: unknown) => live && setResult({ state: 'failed', error: toDymError(err) })
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, ...deps])
  return result
}

/** Subscribe to a core event for the lifetime of the component. */
export function useCoreEvent<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): void {
  useEffect(() => window.dym.on(event, listener), [event, listener])
}
