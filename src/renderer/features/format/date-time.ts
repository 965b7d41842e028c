/** The app's one way to show a moment: "Dec 5, 2026, 2:30 PM" in the user's locale (no seconds). */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function formatDateTime(ms: number): string {
  return dateTime.format(new Date(ms))
}
