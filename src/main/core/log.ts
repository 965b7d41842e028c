/**
 * A tiny leveled logger for the core. Lines go to stderr so a host's stdout stays clean for
 * what users and test harnesses read (the ready line). DYM_LOG=debug shows everything.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(message: string, detail?: unknown): void
  info(message: string, detail?: unknown): void
  warn(message: string, detail?: unknown): void
  error(message: string, detail?: unknown): void
  child(scope: string): Logger
}

function threshold(): number {
  const wanted = (process.env.DYM_LOG ?? 'info') as LogLevel
  return ORDER[wanted] ?? ORDER.info
}

export function createLogger(scope = 'dym', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = threshold()
  const write = (level: LogLevel, message: string, detail?: unknown) => {
    if (ORDER[level] < min) return
    const extra = detail === undefined ? '' : ' ' + formatDetail(detail)
    sink(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}${extra}`)
  }
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
    child: (sub) => createLogger(`${scope}:${sub}`, sink)
  }
}

function formatDetail(detail: unknown): string {
  if (detail instanceof Error) return `${detail.name}: ${detail.message}`
  try {
    const text = JSON.stringify(detail)
    return text.length > 500 ? text.slice(0, 500) + '…' : text
  } catch {
    return String(detail)
  }
}

/** For tests: a logger that keeps its lines. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(
    createLogger('test', (l) => lines.push(l)),
    { lines }
  )
}
