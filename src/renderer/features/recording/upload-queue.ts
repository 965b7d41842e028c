/** What a recorder may hold for its core before it gives up: the core is not keeping up. */
export const MAX_QUEUED_BYTES = 64 * 1024 * 1024

export interface UploadQueueOptions<T> {
  size: (item: T) => number
  /** Hands one item to the core; resolves once it was accepted (false: not now, keep it queued). */
  send: (item: T) => Promise<boolean>
  /** More than MAX_QUEUED_BYTES waits: the item was not queued. */
  onOverflow: () => void
  /** `send` threw: the queue stops pumping (the item stays until `clear`); `drained` waits for this too. */
  onError: (err: unknown) => Promise<void>
}

/**
 * A recording's pieces on their way to the core: sent in order, each once the one before was
 * accepted, so the core's answers (and its back-pressure) pace the page; bounded in bytes.
 */
export class UploadQueue<T> {
  private items: T[] = []
  private bytes = 0
  private pumping: Promise<void> | null = null

  constructor(private readonly o: UploadQueueOptions<T>) {}

  push(item: T): void {
    this.items.push(item)
    this.bytes += this.o.size(item)
    if (this.bytes > MAX_QUEUED_BYTES) {
      this.o.onOverflow()
      return
    }
    this.pumping ??= this.pump().finally(() => (this.pumping = null))
  }

  /** Resolves once everything queued so far was sent (or sending stopped). */
  async drained(): Promise<void> {
    while (this.pumping) await this.pumping
  }

  clear(): void {
    this.items = []
    this.bytes = 0
  }

  private async pump(): Promise<void> {
    while (this.items.length > 0) {
      const item = this.items[0] as T
      try {
        if (!(await this.o.send(item))) return
      } catch (err) {
        await this.o.onError(err)
        return
      }
      if (this.items[0] !== item) continue // cleared while it was on its way
      this.items.shift()
      this.bytes -= this.o.size(item)
    }
  }
}
