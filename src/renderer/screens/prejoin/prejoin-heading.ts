import { parseInvite } from '../../../shared/invite'

/** The pre-join's title: the new meeting's, or the one the invite carries. (The join intent's shape, without the DOM.) */
export function prejoinHeading(intent: { kind: 'create'; title: string } | { kind: 'join'; invite: string; title?: string }): string {
  if (intent.kind === 'create') return intent.title || 'New meeting'
  if (intent.title) return intent.title
  try {
    return parseInvite(intent.invite).title || 'Join the meeting'
  } catch {
    return 'Join the meeting'
  }
}
