import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react'

export interface ToastAction {
  label: string
  run: () => void
}

export interface Toast {
  id: number
  text: string
  tone?: 'info' | 'success' | 'warning' | 'danger'
  actions?: ToastAction[]
  /** ms; 0 keeps it until dismissed */
  duration?: number
}

interface ToastApi {
  push(toast: Omit<Toast, 'id'>): number
  dismiss(id: number): void
}

const ToastContext = createContext<ToastApi | null>(null)
const MAX_VISIBLE = 3

/** Short messages in a corner (joins, leaves, notices); read out politely by screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const nextId = useRef(1)
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), [])
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++
      setToasts((list) => [...list, { ...toast, id }].slice(-MAX_VISIBLE))
      const duration = toast.duration ?? (toast.actions ? 0 : 4500)
      if (duration > 0) setTimeout(() => dismiss(id), duration)
      return id
    },
    [dismiss]
  )
  const api = useMemo(() => ({ push, dismiss }), [push, dismiss])
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast--${t.tone ?? 'info'}`} data-testid="toast">
            <span className="toast-text">{t.text}</span>
            {t.actions?.map((a) => (
              <button
                key={a.label}
                type="button"
                className="btn btn--small"
                onClick={() => {
                  a.run()
                  dismiss(t.id)
                }}
              >
                {a.label}
              </button>
            ))}
            <button type="button" className="icon-btn icon-btn--small" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext)
  if (!api) throw new Error('useToasts outside ToastProvider')
  return api
}
