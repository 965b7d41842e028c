import { createHmac, randomBytes } from 'node:crypto'

/**
 * TURN REST credentials (draft-uberti-behave-turn-rest, coturn's `use-auth-secret`): the
 * username carries its own expiry, the password is an HMAC of the username under a secret
 * only the relay and its coturn know. coturn checks both on every authenticated request, so a
 * credential stops working at its expiry without any state on either side.
 */
export interface TurnCredential {
  username: string
  credential: string
  /** ms since the epoch */
  expiresAt: number
}

export function turnCredential(secret: string, ttlSeconds: number, now = Date.now()): TurnCredential {
  const expiry = Math.floor(now / 1000) + ttlSeconds
  // A random name per credential: TURN sends the username in the clear, so it must not name the
  // device or the meeting; coturn's per-user allocation quota then counts per credential.
  const username = `${expiry}:${randomBytes(9).toString('base64url')}`
  const credential = createHmac('sha1', secret).update(username).digest('base64')
  return { username, credential, expiresAt: expiry * 1000 }
}

/** A fresh secret for one run of the relay: never typed, never stored, never on a command line. */
export function newTurnSecret(): string {
  return randomBytes(32).toString('base64url')
}
