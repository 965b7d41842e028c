import { parseInvite } from '../../../shared/invite'
import type { JoinIntent } from '../../features/call/meeting-join'

/** The pre-join's title: the new meeting's, or the one the invite carries. */
export function prejoinHeading(intent: JoinIntent): string {
  if (intent.kind === 'create') return intent.title || 'New meeting'
  if (intent.title) return intent.title
  try {
    return parseInvite(intent.invite).title || 'Join the meeting'
  } catch {
    return 'Join the meeting'
  }
}
