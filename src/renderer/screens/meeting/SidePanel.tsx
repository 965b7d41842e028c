import { useId, type ReactNode } from 'react'
import { CloseIcon } from '../../features/icons/icons'

/** The right-hand panel of the meeting (chat or participants). */
export function SidePanel({
  title,
  onClose,
  children,
  testId
}: {
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
}) {
  const id = useId()
  return (
    <aside className="side-panel" aria-labelledby={id} data-testid={testId}>
      <div className="side-panel-head">
        <h2 id={id}>{title}</h2>
        <button type="button" className="icon-btn" aria-label={`Close ${title.replace(/ \(\d+\)$/, '').toLowerCase()}`} onClick={onClose}>
          <CloseIcon size={18} />
        </button>
      </div>
      <div className="side-panel-body">{children}</div>
    </aside>
  )
}
