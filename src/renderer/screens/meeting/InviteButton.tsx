import { useEffect, useId, useRef, useState } from 'react'
import { CopyIcon, PlusIcon } from '../../features/icons/icons'
import { InviteQr } from '../../features/invite/InviteQr'

/**
 * The invite: the link, selectable, with a copy button (`invite-text` is a read-only textarea);
 * the short code to read out; the link as a QR code on request.
 */
export function InviteBox({ invite, code, autoSelect = false }: { invite: string; code: string; autoSelect?: boolean }) {
  // What was copied last: "Copied" stays true only while the invite is still that one.
  const [copied, setCopied] = useState<string | null>(null)
  const [qr, setQr] = useState(false)
  const boxRef = useRef<HTMLTextAreaElement>(null)
  const id = useId()
  useEffect(() => {
    if (autoSelect) boxRef.current?.select()
  }, [autoSelect])
  const copy = async (what: 'link' | 'code') => {
    const text = what === 'link' ? invite : code
    try {
      await navigator.clipboard.writeText(text)
      setCopied(text)
    } catch {
      if (what === 'link') boxRef.current?.select()
    }
  }
  return (
    <div className="invite-box">
      <label htmlFor={id} className="field-label">
        Send this invite to the people you want in the meeting
      </label>
      <textarea id={id} ref={boxRef} className="textarea invite-text" readOnly value={invite} rows={3} data-testid="invite-text" />
      <div className="invite-actions">
        <button type="button" className="btn btn--primary btn--small" onClick={() => void copy('link')} data-testid="invite-copy">
          <CopyIcon size={14} /> {copied === invite ? 'Copied' : 'Copy invite'}
        </button>
        <button type="button" className="btn btn--small" aria-expanded={qr} onClick={() => setQr(!qr)} data-testid="invite-qr-toggle">
          {qr ? 'Hide QR code' : 'QR code'}
        </button>
      </div>
      {qr && <InviteQr text={invite} />}
      <div className="invite-code-row">
        <span className="field-label">Or read out the meeting code</span>
        <span className="invite-code" data-testid="invite-code">
          {code}
        </span>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={() => void copy('code')}
          aria-label="Copy the meeting code"
          data-testid="invite-code-copy"
        >
          <CopyIcon size={14} /> {copied === code ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="invite-code-hint">The code works for people on your network, or who use the same relay in Settings.</p>
    </div>
  )
}

/** "Invite people" in the meeting's top bar: opens the invite box. */
export function InviteButton({
  invite,
  code,
  open,
  onOpenChange
}: {
  invite: string
  code: string
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
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
          <InviteBox invite={invite} code={code} autoSelect />
        </div>
      )}
    </div>
  )
}
