import { describe, expect, it } from 'vitest'
import type { Member } from '../../../src/shared/contract/index'
import { recordingSources } from '../../../src/renderer/screens/meeting/recording-sources'
import { buildTiles, type PeerInput } from '../../../src/renderer/screens/meeting/tiles'

const member = (peerId: string, over: Partial<Member> = {}): Member => ({
  peerId,
  displayName: `${peerId}.3bot`,
  verification: 'guest',
  fingerprint: 'ff',
  route: 'direct',
  presence: 'present',
  muted: false,
  cameraOff: false,
  handRaised: false,
  isCreator: false,
  isCoHost: false,
  ...over
})
const peer = (id: string, over: Partial<PeerInput<string>> = {}): PeerInput<string> => ({
  id,
  state: 'connected',
  camera: `${id}-cam`,
  cameraLive: true,
  screen: null,
  stats: null,
  media: null,
  ...over
})
const audioOnly = (s: string) => `${s}:audio`

describe('what the meeting recording is fed', () => {
  it('every camera (ours too) and every shared screen, named as in the meeting, with stable ids', () => {
    const tiles = buildTiles({
      self: member('me'),
      members: [member('a'), member('b', { cameraOff: true })],
      peers: new Map([
        ['a', peer('a', { screen: 'a-screen' })],
        ['b', peer('b')]
      ]),
      local: { preview: 'me-cam', screenPreview: null, micMuted: false, cameraOn: true },
      hands: new Set(),
      speaker: 'a'
    })
    expect(recordingSources(tiles, audioOnly)).toEqual([
      { id: 'screen:a', name: 'a.3bot', stream: 'a-screen', isScreen: true, isSpeaking: false },
      { id: 'me', name: 'me.3bot', stream: 'me-cam', isScreen: false, isSpeaking: false },
      { id: 'a', name: 'a.3bot', stream: 'a-cam', isScreen: false, isSpeaking: true },
      // camera off: their sound stays in the mix, the picture shows initials (no frozen frame)
      { id: 'b', name: 'b.3bot', stream: 'b-cam:audio', isScreen: false, isSpeaking: false }
    ])
  })

  it('someone whose media has not arrived yet is a tile with initials and no sound', () => {
    const tiles = buildTiles<string>({
      self: member('me'),
      members: [member('late')],
      peers: new Map(),
      local: { preview: null, screenPreview: null, micMuted: true, cameraOn: false },
      hands: new Set(),
      speaker: null
    })
    expect(recordingSources(tiles, audioOnly).map((s) => [s.id, s.stream])).toEqual([
      ['me', null],
      ['late', null]
    ])
  })
})
