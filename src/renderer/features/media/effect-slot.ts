/** Something that turns a raw track into the one we send (RNNoise on the microphone, the blur on the camera). */
export interface TrackEffect {
  readonly output: MediaStreamTrack
  close(): void
}

export interface Applied {
  /** the track to send: the effect's output, or the raw track when the effect is off or failed */
  send: MediaStreamTrack | null
  active: boolean
  /** why the effect could not start (the raw track is sent instead) */
  error: unknown
  /** close the effect this one replaced: call it after the new track is handed on */
  retire(): void
}

/**
 * One raw track's effect, swapped safely: starting an effect takes a while (a model or a wasm
 * module loads), and by then the device may have changed, the switch flipped again, or the
 * media closed; only the latest call decides what is sent, and a superseded effect is closed.
 */
export class EffectSlot<E extends TrackEffect> {
  private generation = 0
  private current: E | null = null

  get effect(): E | null {
    return this.current
  }

  /** What to send for `raw`, through an effect made by `create` when `on`; null when superseded meanwhile. */
  async apply(
    raw: MediaStreamTrack | null,
    on: boolean,
    create: (raw: MediaStreamTrack) => Promise<E>,
    closed: () => boolean
  ): Promise<Applied | null> {
    const generation = ++this.generation
    let next: E | null = null
    let error: unknown = null
    if (raw && on) {
      try {
        next = await create(raw)
      } catch (err) {
        error = err
      }
    }
    if (closed() || generation !== this.generation) {
      next?.close()
      return null
    }
    const old = this.current
    this.current = next
    return { send: next?.output ?? raw, active: next !== null, error, retire: () => old?.close() }
  }

  /** No effect any more (the device is closed); a start still under way is dropped when it ends. */
  close(): void {
    this.generation++
    this.current?.close()
    this.current = null
  }
}
