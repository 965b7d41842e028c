import { formatDateTime } from '../../features/format/date-time'
import { useId, useState, type FormEvent } from 'react'
import { ThreeBotName, type RoomRules } from '../../../shared/contract/index'
import { readInviteCode } from '../../../shared/invite-code'
import { ClockIcon, FolderIcon, LinkIcon, PlusIcon } from '../../features/icons/icons'
import type { Navigate } from '../../features/navigation/navigate'
import { forgetMeeting, readRecent, type RecentMeeting } from '../../features/recent/recent-meetings'
import './home.css'

type Mode = RoomRules['mode']

const MODES: Array<{ mode: Mode; label: string; hint: string }> = [
  { mode: 'open', label: 'Anyone with the invite', hint: 'Whoever has the invite joins at once.' },
  { mode: 'ask', label: 'Ask me first', hint: 'You let each person in.' },
  { mode: 'listed', label: 'Only people I list', hint: 'Only these verified 3Bot names may join.' }
]

/** Parse "alice.3bot, bob.3bot" into names, or say which one is wrong. */
function parseNames(text: string): { names: string[] } | { error: string } {
  const names = [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((n) => n.trim().toLowerCase())
        .filter((n) => n !== '')
    )
  ]
  if (names.length === 0) return { error: 'List at least one 3Bot name, like alice.3bot.' }
  const bad = names.find((n) => !ThreeBotName.safeParse(n).success)
  if (bad) return { error: `"${bad}" is not a 3Bot name (like alice.3bot).` }
  if (names.length > 200) return { error: 'At most 200 names.' }
  return { names }
}

/** Home: start a meeting, join one from an invite, or go back to a recent one. */
export function HomeScreen({ go }: { go: (action: Navigate) => void }) {
  const ids = { title: useId(), names: useId(), namesError: useId(), invite: useId(), inviteError: useId() }
  const [title, setTitle] = useState('')
  const [mode, setMode] = useState<Mode>('open')
  const [names, setNames] = useState('')
  const [namesError, setNamesError] = useState<string | null>(null)
  const [invite, setInvite] = useState('')
  const [inviteError, setInviteError] = useState<string | null>(null)
  const [finding, setFinding] = useState(false)
  const [recent, setRecent] = useState<RecentMeeting[]>(() => readRecent(localStorage))

  const startMeeting = (e: FormEvent) => {
    e.preventDefault()
    let rules: RoomRules = { mode: 'open' }
    if (mode === 'ask') rules = { mode: 'ask' }
    if (mode === 'listed') {
      const parsed = parseNames(names)
      if ('error' in parsed) return setNamesError(parsed.error)
      rules = { mode: 'listed', names: parsed.names }
    }
    setNamesError(null)
    go({ to: 'prejoin', intent: { kind: 'create', title: title.trim().slice(0, 120), rules } })
  }

  const joinMeeting = (e: FormEvent) => {
    e.preventDefault()
    const text = invite.trim()
    if (text === '') return setInviteError('Paste the invite link, or type the meeting code you were given.')
    if (text.length > 4096) return setInviteError('That is too long to be an invite.')
    setInviteError(null)
    const code = readInviteCode(text)
    if (!code) return go({ to: 'prejoin', intent: { kind: 'join', invite: text } })
    // A code stands for an invite: ask the meeting for it, then join as with the link.
    setFinding(true)
    window.dym.invoke('room.find-invite', { code }).then(
      ({ invite: found }) => go({ to: 'prejoin', intent: { kind: 'join', invite: found } }),
      (err: unknown) => {
        setFinding(false)
        setInviteError(err instanceof Error ? err.message : String(err))
      }
    )
  }

  return (
    <div className="home">
      <section className="home-hero" aria-labelledby="home-title">
        <h1 id="home-title">Meet face to face, with no server in the middle</h1>
        <p className="lead">
          Video, voice and chat go straight between the people in the meeting. Everyone can see who is really there, and recordings stay on
          your own disk.
        </p>
      </section>

      <div className="home-actions">
        <form className="card home-card" onSubmit={startMeeting} aria-labelledby="new-title" noValidate>
          <div className="home-card-top">
            <div className="home-card-icon" aria-hidden="true">
              <PlusIcon />
            </div>
            <h2 id="new-title">New meeting</h2>
          </div>
          <p className="card-sub">Start a meeting and send the invite to the people you want.</p>
          <div className="field">
            <label htmlFor={ids.title}>Title (optional)</label>
            <input
              id={ids.title}
              className="input"
              value={title}
              maxLength={120}
              placeholder="Weekly sync"
              onChange={(e) => setTitle(e.target.value)}
              data-testid="new-meeting-title"
            />
          </div>
          <fieldset className="home-rules">
            <legend className="field-label">Who can join</legend>
            {MODES.map((m) => (
              <label key={m.mode} className={mode === m.mode ? 'rule rule--on' : 'rule'}>
                <input
                  type="radio"
                  name="rules"
                  value={m.mode}
                  checked={mode === m.mode}
                  onChange={() => setMode(m.mode)}
                  data-testid={`rules-${m.mode}`}
                />
                <span className="rule-text">
                  <span className="rule-label">{m.label}</span>
                  <span className="rule-hint">{m.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {mode === 'listed' && (
            <div className="field">
              <label htmlFor={ids.names}>3Bot names</label>
              <textarea
                id={ids.names}
                className="textarea"
                rows={2}
                value={names}
                placeholder="alice.3bot, bob.3bot"
                onChange={(e) => setNames(e.target.value)}
                aria-invalid={namesError ? true : undefined}
                aria-describedby={namesError ? ids.namesError : undefined}
                data-testid="rules-names"
              />
              {namesError && (
                <span id={ids.namesError} className="field-error" role="alert">
                  {namesError}
                </span>
              )}
            </div>
          )}
          <button type="submit" className="btn btn--primary btn--large btn--block" data-testid="new-meeting-button">
            Start a meeting
          </button>
        </form>

        <form className="card home-card" onSubmit={joinMeeting} aria-labelledby="join-title" noValidate>
          <div className="home-card-top">
            <div className="home-card-icon home-card-icon--alt" aria-hidden="true">
              <LinkIcon />
            </div>
            <h2 id="join-title">Join a meeting</h2>
          </div>
          <p className="card-sub">Paste the dym:// link someone sent you, or type the meeting code they read out.</p>
          <div className="field">
            <label htmlFor={ids.invite}>Invite link or code</label>
            <input
              id={ids.invite}
              className="input"
              value={invite}
              placeholder="dym://join/… or K7QM-2XPD-9F"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setInvite(e.target.value)}
              aria-invalid={inviteError ? true : undefined}
              aria-describedby={inviteError ? ids.inviteError : undefined}
              data-testid="join-invite-input"
            />
            {inviteError && (
              <span id={ids.inviteError} className="field-error" role="alert">
                {inviteError}
              </span>
            )}
          </div>
          <button type="submit" className="btn btn--large btn--block" disabled={finding} data-testid="join-invite-button">
            {finding ? 'Looking for the meeting…' : 'Join'}
          </button>
        </form>
      </div>

      <div className="home-lower">
        <section className="card" aria-labelledby="recent-title">
          <h2 id="recent-title">
            <ClockIcon size={16} /> Recent meetings
          </h2>
          {recent.length === 0 ? (
            <p className="card-sub home-empty">Meetings you join show up here, so you can go back with one click.</p>
          ) : (
            <ul className="recent-list">
              {recent.map((m) => (
                <li key={m.roomId} className="recent-item" data-testid="recent-meeting">
                  <span className="recent-text">
                    <span className="recent-title">{m.title || 'Untitled meeting'}</span>
                    <span className="recent-when">{formatDateTime(m.lastJoinedAt)}</span>
                  </span>
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => go({ to: 'prejoin', intent: { kind: 'join', invite: m.invite, title: m.title } })}
                    aria-label={`Join ${m.title || 'untitled meeting'} again`}
                  >
                    Join again
                  </button>
                  <button
                    type="button"
                    className="icon-btn icon-btn--small"
                    aria-label={`Remove ${m.title || 'untitled meeting'} from recent meetings`}
                    onClick={() => setRecent(forgetMeeting(localStorage, m.roomId))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card home-recordings" aria-labelledby="recordings-title">
          <h2 id="recordings-title">
            <FolderIcon size={16} /> Recordings
          </h2>
          <p className="card-sub">Meetings you record are saved as files on this computer.</p>
          <button type="button" className="btn btn--small" onClick={() => go({ to: 'recordings' })} data-testid="open-recordings">
            Open recordings
          </button>
        </section>
      </div>
    </div>
  )
}
