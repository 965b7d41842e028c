import type { DymApi, RoomView } from '../../../shared/contract/index'
import { frameTap } from '../recording/tracks/frame-tap'
import type { LocalMedia } from '../media/local-media'
import { dymSignalTransport } from './dym-signal-transport'
import { MeshEngine } from './mesh-engine'
import type { SignalInbox } from './signal-inbox'
import type { IceSettings, LinkedBy, VideoQuality } from './types'

/** The mesh of one meeting in the app: signalling through the core, receivers through the recording tap. */
export function createMeetingMesh(o: {
  dym: DymApi
  roomId: string
  selfId: string
  signals: SignalInbox
  ice: IceSettings
  videoQuality: VideoQuality
}): MeshEngine {
  return new MeshEngine({
    selfId: o.selfId,
    transport: dymSignalTransport(o.dym, o.roomId, o.signals),
    ice: o.ice,
    videoQuality: o.videoQuality,
    // Where this page can record per person, every receiver, and every link's camera and
    // microphone sender, passes through the recording worker.
    onReceiver: (_peerId, receiver) => frameTap()?.attach(receiver),
    onSender: (sender, kind) => frameTap()?.attachSender(sender, kind),
    onKeyFrameWanted: (receiver) => frameTap()?.requestKeyFrame(receiver),
    log: (m, d) => console.debug(`[mesh] ${m}`, d ?? '')
  })
}

/** Our devices as they are now, on every link of the mesh (changes follow through the call). */
export function sendLocalMedia(engine: MeshEngine, media: LocalMedia): void {
  const local = media.getSnapshot()
  void engine.setLocalTrack('audio', local.mic)
  void engine.setLocalTrack('camera', local.camera)
  if (local.screen) engine.setScreenTrack(local.screen)
  engine.setMediaState({ muted: local.micMuted, cameraOff: !local.cameraOn })
}

/** The other members still in the room (present or away). */
export function presentMemberIds(view: RoomView): string[] {
  return view.members.filter((m) => m.peerId !== view.self.peerId && m.presence !== 'gone').map((m) => m.peerId)
}

/** Who dialled our meeting link with each member, as the room says: that side offers first. */
export function linkedByOf(view: RoomView): LinkedBy {
  const by = new Map(view.members.map((m) => [m.peerId, m.linkedBy]))
  return (id) => by.get(id)
}
