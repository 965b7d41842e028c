import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react'

export interface ModalDialogProps {
  open: boolean
  title: string
  /** Escape, the close button, or a click on the backdrop. */
  onCancel: () => void
  children: ReactNode
  /** Buttons at the bottom (the first focusable element gets focus unless `initialFocus` says otherwise). */
  footer?: ReactNode
  className?: string
  testId?: string
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * An accessible modal: the native <dialog> (showModal makes the page behind it inert), labelled
 * by its title, Escape cancels, Tab and Shift+Tab stay inside, and focus returns to where it
 * was when the dialog closes.
 */
export function ModalDialog({ open, title, onCancel, children, footer, className, testId }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const cancelRef = useRef(onCancel)
  useLayoutEffect(() => {
    cancelRef.current = onCancel
  })

  useEffect(() => {
    const dialog = ref.current
    if (!dialog || !open) return
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE)
    first?.focus()
    return () => {
      if (dialog.open) dialog.close()
      returnTo?.focus()
    }
  }, [open])

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    // The native Escape handling closes the dialog by itself; we stay in control of `open`.
    const onCancelEvent = (event: Event) => {
      event.preventDefault()
      cancelRef.current()
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return
      const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => el.offsetParent !== null || el === document.activeElement
      )
      if (items.length === 0) return
      const first = items[0]!
      const last = items[items.length - 1]!
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault()
        last.focus()
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault()
        first.focus()
      }
    }
    const onClick = (event: MouseEvent) => {
      // A click on the ::backdrop lands on the dialog element itself.
      if (event.target === dialog) cancelRef.current()
    }
    dialog.addEventListener('cancel', onCancelEvent)
    dialog.addEventListener('keydown', onKeyDown)
    dialog.addEventListener('click', onClick)
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent)
      dialog.removeEventListener('keydown', onKeyDown)
      dialog.removeEventListener('click', onClick)
    }
  }, [])

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-labelledby={titleId} aria-modal="true" data-testid={testId}>
      {open && (
        <div className="modal-body">
          <header className="modal-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={() => cancelRef.current()}>
              ×
            </button>
          </header>
          {/* Focusable: a long sheet scrolls, and keyboard users must be able to scroll it. */}
          <div className="modal-content" tabIndex={0}>
            {children}
          </div>
          {footer && <footer className="modal-footer">{footer}</footer>}
        </div>
      )}
    </dialog>
  )
}
