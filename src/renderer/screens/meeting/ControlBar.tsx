import { useEffect, useRef, useState, type ReactNode } from 'react'
import {
  CameraIcon,
  CameraOffIcon,
  ChatIcon,
  GridIcon,
  HandIcon,
  KeyboardIcon,
  LeaveIcon,
  MicIcon,
  MicOffIcon,
  PeopleIcon,
  RecordIcon,
  ScreenIcon,
  SettingsIcon,
  SmileIcon,
  SpeakerViewIcon
} from '../../app/icons'
import type { LayoutMode } from './Stage'

export const REACTIONS = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'heart' },
  { emoji: '😂', name: 'laughing' },
  { emoji: '🎉', name: 'party' },
  { emoji: '👏', name: 'applause' },
  { emoji: '😮', name: 'surprised' }
]

export interface ControlBarProps {
  micMuted: boolean
  cameraOn: boolean
  screenOn: boolean
  handRaised: boolean
  panel: 'chat' | 'people' | null
  unread: number
  layout: LayoutMode
  recording: boolean
  /** wired by the recorder; without it the button explains why it is not available */
  onRecord?: () => void
  onMic: () => void
  onCamera: () => void
  onScreen: () => void
  onHand: () => void
  onReact: (emoji: string) => void
  onPanel: (panel: 'chat' | 'people') => void
  onLayout: () => void
  onHelp: () => void
  onDevices: () => void
  onLeave: () => void
}

function Control({
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

/** The meeting's controls; every one labelled, with its shortcut. */
export function ControlBar(p: ControlBarProps) {
  const [reactOpen, setReactOpen] = useState(false)
  const menuRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!reactOpen) return
    menuRef.current?.querySelector('button')?.focus()
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.parentElement?.contains(e.target as Node)) setReactOpen(false)
    }
    window.addEventListener('mousedown', close)
    return () => window.removeEventListener('mousedown', close)
  }, [reactOpen])

  return (
    <div className="controlbar" role="toolbar" aria-label="Meeting controls">
      <div className="controlbar-group">
        <Control
          label={p.micMuted ? 'Unmute microphone' : 'Mute microphone'}
          shortcut="M"
          active={p.micMuted}
          danger={p.micMuted}
          pressed={p.micMuted}
          testId="control-mic"
          onClick={p.onMic}
        >
          {p.micMuted ? <MicOffIcon /> : <MicIcon />}
        </Control>
        <Control
          label={p.cameraOn ? 'Turn camera off' : 'Turn camera on'}
          shortcut="V"
          active={!p.cameraOn}
          danger={!p.cameraOn}
          pressed={!p.cameraOn}
          testId="control-camera"
          onClick={p.onCamera}
        >
          {p.cameraOn ? <CameraIcon /> : <CameraOffIcon />}
        </Control>
        <Control
          label={p.screenOn ? 'Stop sharing your screen' : 'Share your screen'}
          shortcut="S"
          active={p.screenOn}
          pressed={p.screenOn}
          testId="control-screen"
          onClick={p.onScreen}
        >
          <ScreenIcon />
        </Control>
        <Control
          label={p.handRaised ? 'Lower your hand' : 'Raise your hand'}
          shortcut="H"
          active={p.handRaised}
          pressed={p.handRaised}
          testId="control-hand"
          onClick={p.onHand}
        >
          <HandIcon />
        </Control>
        <span className="react-wrap">
          <Control label="Send a reaction" testId="control-reactions" onClick={() => setReactOpen((o) => !o)} pressed={reactOpen}>
            <SmileIcon />
          </Control>
          {reactOpen && (
            <div
              className="react-menu"
              ref={menuRef}
              role="group"
              aria-label="Reactions"
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.stopPropagation()
                  setReactOpen(false)
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
                    p.onReact(r.emoji)
                    setReactOpen(false)
                  }}
                  data-testid={`reaction-${r.name.replace(' ', '-')}`}
                >
                  {r.emoji}
                </button>
              ))}
            </div>
          )}
        </span>
        <Control
          label={p.recording ? 'Stop recording' : 'Record this meeting'}
          active={p.recording}
          danger={p.recording}
          pressed={p.onRecord ? p.recording : undefined}
          testId="control-record"
          onClick={p.onRecord}
          disabledReason={p.onRecord ? undefined : 'Recording is not available in this build yet'}
        >
          <RecordIcon />
        </Control>
        <button
          type="button"
          className="control control--leave"
          onClick={p.onLeave}
          data-testid="control-leave"
          aria-label="Leave the meeting"
        >
          <LeaveIcon />
          <span>Leave</span>
        </button>
      </div>
      <div className="controlbar-group controlbar-group--side">
        <Control
          label={p.panel === 'chat' ? 'Close chat' : 'Open chat'}
          shortcut="C"
          active={p.panel === 'chat'}
          pressed={p.panel === 'chat'}
          testId="control-chat"
          onClick={() => p.onPanel('chat')}
          badge={p.panel === 'chat' ? 0 : p.unread}
        >
          <ChatIcon />
        </Control>
        <Control
          label={p.panel === 'people' ? 'Close participants' : 'Show participants'}
          shortcut="P"
          active={p.panel === 'people'}
          pressed={p.panel === 'people'}
          testId="control-participants"
          onClick={() => p.onPanel('people')}
        >
          <PeopleIcon />
        </Control>
        <Control
          label={p.layout === 'grid' ? 'Switch to speaker view' : 'Switch to grid view'}
          shortcut="L"
          testId="control-layout"
          onClick={p.onLayout}
        >
          {p.layout === 'grid' ? <SpeakerViewIcon /> : <GridIcon />}
        </Control>
        <Control label="Camera, microphone and speaker" testId="control-devices" onClick={p.onDevices}>
          <SettingsIcon />
        </Control>
        <Control label="Keyboard shortcuts" shortcut="?" testId="control-help" onClick={p.onHelp}>
          <KeyboardIcon />
        </Control>
      </div>
    </div>
  )
}
