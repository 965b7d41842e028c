import type { PersonView, Verification } from '../../../shared/contract/index'
import './identity.css'

/** "alice.3bot" -> "AL"; "Dana Scully" -> "DS". */
export function initialsOf(displayName: string): string {
  const base = displayName.replace(/\.3bot$/i, '').trim()
  const parts = base.split(/[\s._-]+/).filter(Boolean)
  const letters = parts.length >= 2 ? (parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '') : base.slice(0, 2)
  return letters.toUpperCase() || '?'
}

/** A stable hue per device key, so the same person looks the same on every screen. */
function hueOf(fingerprint: string): number {
  let hash = 0
  for (const ch of fingerprint) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return hash % 360
}

export function Avatar({ person, size = 'small' }: { person: PersonView; size?: 'small' | 'large' }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ background: `hsl(${hueOf(person.fingerprint)} 50% 30%)` }} aria-hidden="true">
      {initialsOf(person.displayName)}
    </span>
  )
}

const BADGES: Record<Verification, { label: string; icon: string; describe: string }> = {
  verified: { label: 'Verified', icon: '✓', describe: 'Verified 3Bot identity' },
  warning: { label: 'Not verified', icon: '!', describe: 'Identity could not be verified' },
  guest: { label: 'Guest', icon: '•', describe: 'Guest, not verified' }
}

/** The one badge every screen shows for how sure we are of who a person is. */
export function VerificationBadge({ verification }: { verification: Verification }) {
  const badge = BADGES[verification]
  return (
    <span className={`badge badge-${verification}`} title={badge.describe} data-testid="verification-badge">
      <span className="badge-icon" aria-hidden="true">
        {badge.icon}
      </span>
      {badge.label}
    </span>
  )
}
