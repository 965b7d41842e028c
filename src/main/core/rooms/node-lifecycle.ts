import { DymError } from '../../../shared/contract/errors'
import type { Logger } from '../log'
import type { RoomNode } from './room-node'

/**
 * The meetings' libp2p node over its life. It starts in the background (a relay that does not
 * answer can hold up listening for seconds, and the rest of the app should not wait for that);
 * `ready` waits for it and answers `unavailable` if it failed. A restart (new identity, new
 * network settings) runs one at a time, and `ready` called meanwhile waits for the new node
 * instead of failing on the one being stopped: saving Settings and then joining just works.
 */
export class NodeLifecycle {
  private running: RoomNode | null = null
  /** the restart in progress, if any */
  private restarting: Promise<void> = Promise.resolve()
  private starting: Promise<void> | null = null

  constructor(
    private readonly log: Logger,
    /** a node with the identity and network as they are now */
    private readonly startNode: () => Promise<RoomNode>,
    /** before the node stops: leave the meeting (peers see us go) */
    private readonly beforeStop: (reason: string) => Promise<void>
  ) {}

  /** The node if it runs now. */
  get current(): RoomNode | null {
    return this.running
  }

  start(): void {
    this.starting = this.startNode().then((running) => {
      this.running = running
    })
    this.starting.catch((err: unknown) => this.log.error('the p2p node did not start', err))
  }

  /** Resolves with the running node; throws a DymError (`unavailable`) if it could not start. */
  async ready(): Promise<RoomNode> {
    await this.restarting
    try {
      await this.starting
    } catch (err) {
      throw new DymError('unavailable', `The network could not start: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (!this.running) throw new DymError('unavailable', 'The network is not running')
    return this.running
  }

  async stop(reason = 'The app is closing'): Promise<void> {
    await this.starting?.catch(() => undefined)
    await this.beforeStop(reason).catch(() => undefined)
    const running = this.running
    this.running = null
    this.starting = null
    await running?.stop()
  }

  /** Start again with the current identity and network: leaves the meeting first. */
  async restart(reason: string): Promise<void> {
    const run = this.restarting.then(async () => {
      this.log.info(`restarting the p2p node: ${reason}`)
      await this.stop(reason)
      this.log.debug('p2p node stopped')
      this.start()
      await this.starting?.catch(() => undefined)
    })
    this.restarting = run.catch(() => undefined)
    await run
  }
}
