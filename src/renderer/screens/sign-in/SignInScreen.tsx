import type { HostKind, IdentityView } from '../../../shared/contract/index'
import '../../features/identity/identity.css'
import { GuestForm } from './GuestForm'
import { RestoreForm } from './RestoreForm'
import { ThreefoldConnect } from './ThreefoldConnect'

/** The three ways in: ThreeFold Connect, the seed phrase, or as a guest. */
export function SignInScreen({ hostKind, onSignedIn }: { hostKind: HostKind | null; onSignedIn: (view: IdentityView) => void }) {
  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to meet</h1>
      <p className="lead">
        People in your meetings see who you are: sign in with your 3Bot identity to be shown as verified, or join as a guest.
      </p>
      <div className="signin-ways">
        <section className="signin-way" aria-labelledby="way-tfc">
          <h2 id="way-tfc">ThreeFold Connect</h2>
          <ThreefoldConnect hostKind={hostKind} onSignedIn={onSignedIn} />
        </section>
        <section className="signin-way" aria-labelledby="way-seed">
          <h2 id="way-seed">Restore with seed phrase</h2>
          <RestoreForm onSignedIn={onSignedIn} />
        </section>
        <section className="signin-way" aria-labelledby="way-guest">
          <h2 id="way-guest">Join as a guest</h2>
          <GuestForm onSignedIn={onSignedIn} />
        </section>
      </div>
    </section>
  )
}
