import type { PersonView } from '../../../shared/contract/index'
import { Avatar } from './person'

const STATE = { verified: 'verified', warning: 'not verified', guest: 'guest' } as const

/**
 * The top bar's way to the profile: avatar, name and a badge dot. Its accessible name is the
 * visible name plus the badge in words ("alice.3bot (verified)"), so speech and sight agree.
 */
export function IdentityButton({ person, onOpen }: { person: PersonView; onOpen: () => void }) {
  return (
    <button type="button" className="identity-button" onClick={onOpen} title="Your profile" data-testid="identity-button">
      <Avatar person={person} />
      <span className="identity-name">{person.displayName}</span>
      <span className="visually-hidden"> ({STATE[person.verification]})</span>
      <span className={`identity-dot dot-${person.verification}`} aria-hidden="true" />
    </button>
  )
}
