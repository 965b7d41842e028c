/** Home: what the app is and where to start. Meeting actions arrive with rooms and calls. */
export function HomeScreen() {
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">Private video meetings, no server in the middle</h1>
      <p className="lead">
        Your camera, your voice and your recordings go straight to the people you meet and to your own disk. Everyone in
        a meeting can see who is really there.
      </p>
      <ul className="pillars">
        <li>
          <strong>Peer to peer</strong>
          <span>Meetings are found over libp2p and carried directly between you and the others.</span>
        </li>
        <li>
          <strong>Verified people</strong>
          <span>Sign in with your 3Bot identity, or join as a guest.</span>
        </li>
        <li>
          <strong>Yours to keep</strong>
          <span>Recordings are written to a file on your own computer.</span>
        </li>
      </ul>
    </section>
  )
}
