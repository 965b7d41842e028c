import type { ReactNode } from 'react'

/**
 * One button of the control bar: labelled, its shortcut in the tooltip and aria-keyshortcuts,
 * and, when it cannot be used, the reason in place of the tooltip (read out as its description).
 */
export function ControlButton({
  label,
  shortcut,
  active,
  danger,
  testId,
  onClick,
  children,
  pressed,
  disabledReason,
  badge
}: {
  label: string
  shortcut?: string
  active?: boolean
  danger?: boolean
  testId: string
  onClick?: () => void
  children: ReactNode
  pressed?: boolean
  disabledReason?: string
  badge?: number
}) {
  const tip = disabledReason ?? (shortcut ? `${label} (${shortcut})` : label)
  return (
    <span className="tip">
      <button
        type="button"
        className={`control ${active ? 'control--active' : ''} ${danger ? 'control--danger' : ''}`}
        aria-label={label}
        aria-pressed={pressed}
        aria-disabled={disabledReason ? true : undefined}
        aria-keyshortcuts={shortcut}
        aria-describedby={disabledReason ? `${testId}-why` : undefined}
        onClick={disabledReason ? undefined : onClick}
        data-testid={testId}
      >
        {children}
        {badge !== undefined && badge > 0 && (
          <span className="control-badge" data-testid="chat-unread" aria-label={`${badge} unread`}>
            {badge > 99 ? '99+' : badge}
          </span>
        )}
      </button>
      <span className="tip-text" id={disabledReason ? `${testId}-why` : undefined} aria-hidden={disabledReason ? undefined : true}>
        {tip}
      </span>
    </span>
  )
}
