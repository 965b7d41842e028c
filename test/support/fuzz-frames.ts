/**
 * Frames for fuzzing our protocols: random bytes, and valid frames mutated the ways a broken or
 * hostile peer would (bit flips, truncation, wrong types, huge or deeply nested values,
 * prototype keys, wrong discriminants). Seeded, so a failure can be replayed.
 */
export function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const encoder = new TextEncoder()

const weirdValues = (): unknown[] => [
  null,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x'.repeat(5000),
  '\u0000\uFFFF\uD800',
  [],
  {},
  true,
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
  Array.from({ length: 300 }, () => 'member')
]

/** `count` values mutated from `valid` the ways fuzzFrames mutates frames (before they are encoded). */
export function fuzzValues(valid: unknown[], count: number, seed: number): unknown[] {
  const rand = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T
  const weird = weirdValues()
  return Array.from({ length: count }, () => {
    const base = structuredClone(pick(valid))
    return base && typeof base === 'object' && !Array.isArray(base)
      ? mutate(base as Record<string, unknown>, rand, pick, weird)
      : pick(weird)
  })
}

export function fuzzFrames(valid: unknown[], count: number, seed: number, maxBytes: number): Uint8Array[] {
  const rand = prng(seed)
  const int = (n: number) => Math.floor(rand() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T
  const weird = weirdValues()
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
  const frames: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    const kind = int(10)
    let bytes: Uint8Array
    if (kind === 0) {
      bytes = crypto.getRandomValues(new Uint8Array(int(512)))
    } else if (kind === 1) {
      bytes = encoder.encode(nested(1 + int(5000)))
    } else if (kind === 2) {
      bytes = encoder.encode(JSON.stringify(pick(weird)))
    } else {
      const base = structuredClone(pick(valid)) as Record<string, unknown>
      const text = JSON.stringify(mutate(base, rand, pick, weird))
      bytes = encoder.encode(text)
      if (kind === 8) bytes = bytes.slice(0, int(bytes.length + 1))
      if (kind === 9 && bytes.length > 0) {
        bytes = bytes.slice()
        for (let f = 0; f < 1 + int(4); f++) bytes[int(bytes.length)]! ^= 1 << int(8)
      }
    }
    frames.push(bytes.length > maxBytes ? bytes.slice(0, maxBytes) : bytes)
  }
  return frames
}

function mutate(value: Record<string, unknown>, rand: () => number, pick: <T>(l: readonly T[]) => T, weird: unknown[]): unknown {
  const keys = Object.keys(value)
  const r = rand()
  if (keys.length === 0 || r < 0.1) return { ...value, extra: pick(weird) }
  const key = pick(keys)
  if (r < 0.5) return { ...value, [key]: pick(weird) }
  if (r < 0.6) {
    const copy = { ...value }
    delete copy[key]
    return copy
  }
  const inner = value[key]
  if (inner && typeof inner === 'object' && !Array.isArray(inner))
    return { ...value, [key]: mutate(inner as Record<string, unknown>, rand, pick, weird) }
  if (typeof inner === 'string') return { ...value, [key]: inner + pick(['\u0000', 'x'.repeat(300), '"', '\\']) }
  if (typeof inner === 'number') return { ...value, [key]: pick([-inner, inner + 0.5, String(inner), 2 ** 60]) }
  return { ...value, [key]: pick(weird) }
}
