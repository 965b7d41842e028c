/**
 * 3Bot names as people type them ("Alice", "alice.3bot", " ALICE.3Bot ") become the one form
 * the directory and credentials use: lowercase, with the .3bot suffix.
 */
export function normalizeThreeBotName(typed: string): string {
  const trimmed = typed.trim().toLowerCase()
  return trimmed.endsWith('.3bot') ? trimmed : `${trimmed}.3bot`
}

/** Guests may not look like a 3Bot name: a display name ending in .3bot would read as verified. */
export function looksLikeThreeBotName(displayName: string): boolean {
  return /\.3bot\s*$/i.test(displayName)
}
