import { useEffect, useId, useRef, useState } from 'react'
import { CopyIcon, PlusIcon } from '../../features/icons/icons'

/** The invite text, selectable, with a copy button. `invite-text` is a read-only textarea. */
export function InviteBox({ invite, autoSelect = false }: { invite: string; autoSelect?: boolean }) {
  const [copied, setCopied] = useState(false)
  const boxRef = useRef<HTMLTextAreaElement>(null)
  const id = useId()
  useEffect(() => {
    if (autoSelect) boxRef.current?.select()
  }, [autoSelect])
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(invite)
      setCopied(true)
    } catch {
      boxRef.current?.select()
    }
  }
  return (
    <div className="invite-box">
      <label htmlFor={id} className="field-label">
        Send this invite to the people you want in the meeting
      </label>
      <textarea id={id} ref={boxRef} className="textarea invite-text" readOnly value={invite} rows={3} data-testid="invite-text" />
      <button type="button" className="btn btn--primary btn--small" onClick={() => void copy()} data-testid="invite-copy">
        <CopyIcon size={14} /> {copied ? 'Copied' : 'Copy invite'}
      </button>
    </div>
  )
}

/** "Invite people" in the meeting's top bar: opens the invite box. */
export function InviteButton({ invite, open, onOpenChange }: { invite: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const wrapRef = useRef<HTMLDivElement>(null)
  const id = useId()
  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) onOpenChange(false)
    }
    window.addEventListener('mousedown', close)
    return () => window.removeEventListener('mousedown', close)
  }, [open, onOpenChange])

  return (
    <div className="invite" ref={wrapRef}>
      <button
        type="button"
        className="btn btn--small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => onOpenChange(!open)}
        data-testid="control-invite"
      >
        <PlusIcon size={15} /> Invite
      </button>
      {open && (
        <div
          className="invite-pop"
          id={id}
          role="dialog"
          aria-label="Invite people"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              onOpenChange(false)
            }
          }}
        >
          <InviteBox invite={invite} autoSelect />
        </div>
      )}
    </div>
  )
}
