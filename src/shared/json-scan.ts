/**
 * Looking into JSON text without parsing it. A parse builds the whole value first: 8 MiB of
 * `[` is four million nested arrays (hundreds of MB) before anything can say no, and a reviver
 * walking it overflows the stack. These scans cost one pass over the characters and nothing else.
 */

/** The most arrays and objects a message of the contract nests (the deepest request needs 5). */
export const MAX_JSON_DEPTH = 64

export interface JsonPeek {
  /** Arrays and objects nest deeper than the limit somewhere. */
  tooDeep: boolean
  /** The top-level object's `id`, when it is a non-negative safe integer. */
  id: number | null
  /** The top-level object's `method`, when it is a plain string (no escapes). */
  method: string | null
}

const QUOTE = 34
const BACKSLASH = 92
const OPENERS = new Set([91, 123]) // [ {
const CLOSERS = new Set([93, 125]) // ] }

/** Where the string starting after the quote at `start - 1` ends (its closing quote), or text.length. */
function stringEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === BACKSLASH) i++
    else if (c === QUOTE) return i
  }
  return text.length
}

/** The value after a top-level key: a number or a string literal, as text, up to 200 characters. */
function valueAfterKey(text: string, keyEnd: number): string | null {
  const match = /^\s*:\s*("[^"\\]{0,200}"|\d{1,16})\s*[,}]/.exec(text.slice(keyEnd + 1, keyEnd + 220))
  return match?.[1] ?? null
}

/**
 * How deep the text nests, and the top-level `id` and `method` of a request frame, without
 * parsing. The keys are found even in text that is too deep or not valid JSON, so such a
 * request can still be answered.
 */
export function peekJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonPeek {
  const peek: JsonPeek = { tooDeep: false, id: null, method: null }
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = stringEnd(text, i + 1)
      if (depth === 1) {
        const key = text.slice(i + 1, end)
        if (key === 'id' || key === 'method') {
          const value = valueAfterKey(text, end)
          if (key === 'id' && value !== null && !value.startsWith('"')) {
            const id = Number(value)
            if (Number.isSafeInteger(id)) peek.id = id
          } else if (key === 'method' && value?.startsWith('"')) peek.method = value.slice(1, -1)
        }
      }
      i = end
    } else if (OPENERS.has(c)) {
      depth++
      if (depth > maxDepth) peek.tooDeep = true
    } else if (CLOSERS.has(c)) depth--
  }
  return peek
}
