import { useEffect, useRef, useState } from 'react'
import { SmileIcon } from '../../features/icons/icons'
import { ControlButton } from './ControlButton'

const REACTIONS = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'heart' },
  { emoji: '😂', name: 'laughing' },
  { emoji: '🎉', name: 'party' },
  { emoji: '👏', name: 'applause' },
  { emoji: '😮', name: 'surprised' }
]

/** The reactions button and its menu: the menu takes the focus, and closes on Esc or a click outside. */
export function ReactionsButton({ onReact }: { onReact: (emoji: string) => void }) {
  const [open, setOpen] = useState(false)
  const menuRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    menuRef.current?.querySelector('button')?.focus()
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.parentElement?.contains(e.target as Node)) setOpen(false)
    }
    window.addEventListener('mousedown', close)
    return () => window.removeEventListener('mousedown', close)
  }, [open])

  return (
    <span className="react-wrap">
      <ControlButton label="Send a reaction" testId="control-reactions" onClick={() => setOpen((o) => !o)} pressed={open}>
        <SmileIcon />
      </ControlButton>
      {open && (
        <div
          className="react-menu"
          ref={menuRef}
          role="group"
          aria-label="Reactions"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              setOpen(false)
            }
          }}
        >
          {REACTIONS.map((r) => (
            <button
              key={r.name}
              type="button"
              className="react-btn"
              aria-label={`React with ${r.name}`}
              onClick={() => {
                onReact(r.emoji)
                setOpen(false)
              }}
              data-testid={`reaction-${r.name.replace(' ', '-')}`}
            >
              {r.emoji}
            </button>
          ))}
        </div>
      )}
    </span>
  )
}
