/**
 * A process whose stop never finishes (as a libp2p stop waiting on a dead connection can), for
 * the shutdown test. Prints READY once its signal handlers are in place.
 */
import { createLogger } from '../../src/main/core/log'
import { stopOnSignals } from '../../src/main/cli/shutdown'

const graceMs = Number(process.argv[2] ?? 300)
stopOnSignals(() => new Promise<void>(() => undefined), createLogger('stopping-child'), graceMs)
setInterval(() => undefined, 1_000)
process.stdout.write('READY\n')
