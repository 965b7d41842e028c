import { spawnSync } from 'node:child_process'

/** Run a command to completion; throws with its stderr when it fails. Lab setup is a few dozen of these. */
export function sh(command: string, args: string[], options: { allowFail?: boolean } = {}): string {
  // Reading a whole call's capture back can be many megabytes.
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 })
  if (result.error) {
    if (options.allowFail) return ''
    throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`)
  }
  if (result.status !== 0 && !options.allowFail) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.trim()}`)
  }
  return result.stdout
}

/** The same, inside a network namespace. */
export function nsh(ns: string, command: string, args: string[], options: { allowFail?: boolean } = {}): string {
  return sh('ip', ['netns', 'exec', ns, command, ...args], options)
}

/** Why the lab cannot run here, or null when it can: it needs root, `ip netns` and iptables. */
export function labUnavailable(): string | null {
  if (process.platform !== 'linux') return `the NAT lab needs Linux network namespaces (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'the NAT lab needs root (network namespaces, veth, iptables); run the tests as root, as CI does'
  for (const [tool, pkg] of [
    ['ip', 'iproute2'],
    ['iptables', 'iptables'],
    ['tcpdump', 'tcpdump']
  ] as const) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) return `the NAT lab needs ${tool}: apt-get install -y ${pkg}`
  }
  const probe = `dymlab-probe-${process.pid}`
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' })
  if (added.status !== 0) return `this machine does not allow network namespaces: ${added.stderr.trim()}`
  spawnSync('ip', ['netns', 'del', probe])
  return null
}
