import { createHmac } from 'node:crypto'
import type os from 'node:os'
import { describe, expect, it } from 'vitest'
import { coturnConfigFile, DEFAULT_QUOTAS, iceServersFor, type TurnConfig } from '../../../src/main/core/relay/turn-config'
import { turnCredential } from '../../../src/main/core/relay/turn-credentials'
import { ipsOf, turnAddresses } from '../../../src/main/core/relay/turn-setup'
import { turnSettings } from '../../../src/main/cli/relay-turn'

const base: TurnConfig = {
  listenIps: ['203.0.113.5'],
  port: 3478,
  relayPorts: { min: 49152, max: 65535 },
  allowPrivatePeers: false,
  quotas: DEFAULT_QUOTAS
}

const interfaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4' }],
  eth0: [
    { address: '10.1.2.3', family: 'IPv4' },
    { address: 'fe80::1', family: 'IPv6' },
    { address: '2a01:4f8::5', family: 'IPv6' }
  ],
  eth1: [{ address: '6.7.8.9', family: 'IPv4' }]
} as unknown as ReturnType<typeof os.networkInterfaces>

describe('TURN credentials and coturn configuration', () => {
  it('a credential is TURN REST: expiry:name, and the password is HMAC-SHA1 of it under the secret', () => {
    const now = Date.UTC(2026, 0, 1)
    const c = turnCredential('s3cret', 600, now)
    const [expiry, name] = c.username.split(':')
    expect(Number(expiry)).toBe(now / 1000 + 600)
    expect(name).toMatch(/^[A-Za-z0-9_-]{12}$/)
    expect(c.credential).toBe(createHmac('sha1', 's3cret').update(c.username).digest('base64'))
    expect(c.expiresAt).toBe(now + 600_000)
    // A new random name each time: the username on the wire names neither device nor meeting.
    expect(turnCredential('s3cret', 600, now).username).not.toBe(c.username)
  })

  it('coturn is told the secret in its file, keeps away from private peers unless allowed, and does TLS only with a certificate', () => {
    const file = coturnConfigFile(base, 'SECRET', { pid: '/d/pid', db: '/d/db' })
    expect(file).toMatch(/^use-auth-secret$/m)
    expect(file).toMatch(/^static-auth-secret=SECRET$/m)
    expect(file).toMatch(/^listening-ip=203\.0\.113\.5$/m)
    expect(file).toMatch(/^relay-ip=203\.0\.113\.5$/m)
    expect(file).toMatch(/^denied-peer-ip=10\.0\.0\.0-10\.255\.255\.255$/m)
    expect(file).toMatch(/^denied-peer-ip=127\.0\.0\.0-127\.255\.255\.255$/m)
    expect(file).toMatch(/^denied-peer-ip=169\.254\.0\.0-169\.254\.255\.255$/m)
    expect(file).toMatch(/^no-tls$/m)
    expect(file).not.toMatch(/allow-loopback-peers/)
    const lan = coturnConfigFile({ ...base, allowPrivatePeers: true }, 'S', { pid: 'p', db: 'd' })
    expect(lan).toMatch(/^allow-loopback-peers$/m)
    expect(lan).not.toMatch(/denied-peer-ip/)
    const tls = coturnConfigFile({ ...base, tls: { cert: '/c.pem', key: '/k.pem', port: 443, host: 'turn.example.org' } }, 'S', {
      pid: 'p',
      db: 'd'
    })
    expect(tls).toMatch(/^tls-listening-port=443$/m)
    expect(tls).toMatch(/^cert=\/c\.pem$/m)
    expect(tls).not.toMatch(/^no-tls$/m)
  })

  it('the ICE servers name STUN and TURN over UDP and TCP, TLS by host name, IPv6 in brackets, public addresses behind a NAT', () => {
    const cred = { username: '1:x', credential: 'c' }
    expect(iceServersFor(base, cred)).toEqual([
      { urls: ['stun:203.0.113.5:3478'] },
      { urls: ['turn:203.0.113.5:3478?transport=udp', 'turn:203.0.113.5:3478?transport=tcp'], username: '1:x', credential: 'c' }
    ])
    const natted = iceServersFor(
      {
        ...base,
        listenIps: ['10.0.0.4', '2a01::4'],
        publicIps: ['6.7.8.9', '2a01::4'],
        tls: { cert: 'c', key: 'k', port: 443, host: 'turn.example.org' }
      },
      cred
    )
    expect(natted[0]!.urls).toEqual(['stun:6.7.8.9:3478', 'stun:[2a01::4]:3478'])
    expect(natted[1]!.urls).toContain('turns:turn.example.org:443?transport=tcp')
    expect(natted[1]!.urls).toContain('turn:[2a01::4]:3478?transport=tcp')
    expect(coturnConfigFile({ ...base, listenIps: ['10.0.0.4'], publicIps: ['6.7.8.9'] }, 'S', { pid: 'p', db: 'd' })).toMatch(
      /^external-ip=6\.7\.8\.9\/10\.0\.0\.4$/m
    )
  })

  it('TURN listens on the public addresses the relay listens on; private ones only for a LAN relay; announced ones behind a NAT', () => {
    expect(ipsOf(['/ip4/0.0.0.0/tcp/4001', '/ip6/::/tcp/4001'], interfaces)).toEqual(['127.0.0.1', '10.1.2.3', '6.7.8.9', '2a01:4f8::5'])
    expect(turnAddresses({ listen: ['/ip4/0.0.0.0/tcp/4001'], announce: [], allowPrivate: false, interfaces })).toEqual({
      listenIps: ['6.7.8.9'],
      publicIps: []
    })
    expect(turnAddresses({ listen: ['/ip4/127.0.0.1/tcp/0'], announce: [], allowPrivate: true, interfaces }).listenIps).toEqual([
      '127.0.0.1'
    ])
    expect(turnAddresses({ listen: ['/ip4/127.0.0.1/tcp/0'], announce: [], allowPrivate: false, interfaces }).listenIps).toEqual([])
    // A cloud VM: a private address on its interface, a public one announced.
    expect(
      turnAddresses({ listen: ['/ip4/10.1.2.3/tcp/4001'], announce: ['/ip4/6.6.6.6/tcp/4001'], allowPrivate: false, interfaces })
    ).toEqual({
      listenIps: ['10.1.2.3'],
      publicIps: ['6.6.6.6']
    })
    expect(turnAddresses({ listen: [], announce: [], ips: ['6.1.1.1'], allowPrivate: false, interfaces }).listenIps).toEqual(['6.1.1.1'])
  })

  it('settings: flags win over the file; TLS needs certificate, key and host together; ranges are checked', () => {
    expect(turnSettings({}, {})).toMatchObject({ enabled: true, port: 3478, ttlSeconds: 3600, relayPorts: { min: 49152, max: 65535 } })
    expect(turnSettings({ 'turn-port': '5349' }, { port: 3479 }).port).toBe(5349)
    expect(turnSettings({}, { enabled: false }).enabled).toBe(false)
    expect(turnSettings({ 'no-turn': true }, {}).enabled).toBe(false)
    expect(() => turnSettings({ 'turn-cert': 'c.pem' }, {})).toThrow(/needs all three/)
    expect(() => turnSettings({ 'turn-ttl': '5' }, {})).toThrow(/--turn-ttl must be 60-86400/)
    expect(() => turnSettings({ 'turn-relay-ports': '100-200' }, {})).toThrow(/--turn-relay-ports/)
    expect(turnSettings({ 'turn-cert': 'c', 'turn-key': 'k', 'turn-host': 'h.example' }, {}).tls).toMatchObject({
      port: 443,
      host: 'h.example'
    })
  })
})
