import type { MethodName, RequestOf } from '../../src/shared/contract/index'

const ROOM = 'ab'.repeat(32)
const PEER = '12D3KooWGzXHYQKpbyBDQyqBQqHB3XCYQ1VHdXdxcmWMXm8X3Phb'
const UUID = '00000000-0000-4000-8000-000000000000'

/**
 * One well-formed request for every method of the contract (the compiler refuses a missing
 * one), naming nothing that exists: the seeds fuzzers mutate into malformed ones.
 */
export const CONTRACT_EXAMPLES: { [M in MethodName]: RequestOf<M> } = {
  'app.info': {},
  'core.status': {},
  'app.pending-invite': {},
  'identity.current': {},
  'identity.restore': { name: 'nobody', words: 'abandon '.repeat(23) + 'art' },
  'identity.guest': { displayName: 'Fuzzy' },
  'identity.threefoldLogin.start': {},
  'identity.threefoldLogin.complete': { redirectUrl: 'https://digitalyou.meet/dym/threefold-login?error=CancelledByUser' },
  'identity.threefoldLogin.cancel': {},
  'identity.threefoldLogin.run': {},
  'identity.signOut': { confirm: true },
  'identity.acceptKeyChange': { name: 'nobody.3bot' },
  'settings.get': {},
  'settings.update': { videoQuality: 'low' },
  'room.create': { title: 'Fuzz', rules: { mode: 'ask' } },
  'room.preconnect': { invite: `dym://join/${ROOM}#AAAA` },
  'room.join': { invite: `dym://join/${ROOM}#AAAA` },
  'room.find-invite': { code: 'K7QM-2XPD-9F' },
  'room.leave': { roomId: ROOM },
  'room.current': {},
  'room.admit': { roomId: ROOM, peerId: PEER, admit: true },
  'room.moderate': { roomId: ROOM, action: { kind: 'mute', peerId: PEER } },
  'signal.send': { roomId: ROOM, to: PEER, signal: { kind: 'restart', ufrag: null } },
  'chat.send': { roomId: ROOM, text: 'hello' },
  'chat.history': { roomId: ROOM },
  'notice.send': { roomId: ROOM, notice: { kind: 'hand', raised: true } },
  'room.iceServers': { roomId: ROOM },
  'network.reachability': {},
  'screen.pick': { requestId: 'pick-0000', sourceId: null, audio: false },
  'recording.info': {},
  'recording.start': { title: 'Fuzz', participants: [], mimeType: 'video/webm' },
  'recording.chunk': { recordingId: UUID, seq: 0, bytes: new Uint8Array([0x1a, 0x45, 0xdf, 0xa3]) },
  'recording.track': { recordingId: UUID, personId: PEER, personName: 'Fuzzy', role: 'camera', kind: 'video', codec: 'vp8' },
  'recording.frames': { recordingId: UUID, seq: 0, bytes: new Uint8Array([1, 2, 3, 4]) },
  'recording.participants': { recordingId: UUID, participants: [{ id: PEER, name: 'Fuzzy' }] },
  'recording.stop': { recordingId: UUID },
  'recording.list': {},
  'recording.thumbnail': { name: 'none.mkv' },
  'recording.export': { name: 'none.mkv' },
  'recording.consent-answer': {
    recording: 'AAAAAAAAAAAAAAAAAAAAAA',
    recorder: '12D3KooWAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    answer: 'agree'
  },
  'recording.consent': { recordingId: '00000000-0000-0000-0000-000000000000', ack: {} },
  'recording.play-open': { name: 'none.mkv', person: null },
  'recording.play-read': { playId: '00000000-0000-0000-0000-000000000000', offset: 0, length: 1024 },
  'recording.export-cancel': { exportId: UUID },
  'recording.rename': { name: 'none.mkv', newTitle: 'Renamed' },
  'recording.delete': { name: 'none.mkv', confirm: true },
  'recording.open': { name: 'none.mkv' },
  'recording.reveal': { name: 'none.mkv' },
  'file.offer': { roomId: ROOM, name: 'notes.txt', size: 5 },
  'file.chunk': { transferId: UUID, offset: 0, bytes: new Uint8Array([1, 2, 3]) },
  'file.accept': { transferId: UUID },
  'file.cancel': { transferId: UUID }
}
