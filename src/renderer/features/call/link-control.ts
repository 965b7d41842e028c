import { parseControlMessage, type ControlMessage } from './control-channel'
import type { RemoteStreams } from './remote-streams'
import type { FrameSize } from './tile-fit'
import type { MediaState, StreamRole } from './types'

/** What one link's control channel talks about. */
export interface ControlSide {
  remote: RemoteStreams
  /** msid of our camera + microphone, and of our screen while we share one */
  ourStreams(): { camera: string; screen: string | null }
  mediaState(): MediaState
  /** their microphone / camera state, straight from their media end */
  onRemoteMedia(state: MediaState): void
  /** they want (or no longer want) one of our videos: it is (or is not) on their screen */
  onWanted(role: StreamRole, on: boolean): void
  /** their tile of one of our videos is this big (device pixels) */
  onWantedSize(role: StreamRole, size: FrameSize): void
  /** they record their camera as this link sends it: have our receiver ask them for a key frame */
  onKeyFrameWanted(): void
  /** the stream roles changed: the view needs rebuilding */
  refresh(): void
}

/**
 * Our end of one link's control channel (see control-channel.ts): on open it says which of our
 * streams is which, our mute state and which of their videos we do not want; then it relays
 * changes both ways. Messages that fail the schema are dropped.
 */
export class LinkControl {
  private readonly sizes: Record<StreamRole, FrameSize | null> = { camera: null, screen: null }

  constructor(
    private readonly channel: RTCDataChannel,
    private readonly side: ControlSide
  ) {
    channel.onopen = () => {
      this.sendRoles()
      this.sendMediaState()
      for (const role of ['camera', 'screen'] as const) {
        if (!side.remote.isWanted(role)) this.send({ t: 'want', role, on: false })
        const size = this.sizes[role]
        if (size) this.send({ t: 'size', role, ...size })
      }
    }
    channel.onmessage = (ev) => this.receive(parseControlMessage(ev.data))
  }

  sendRoles(): void {
    this.send({ t: 'streams', ...this.side.ourStreams() })
  }

  sendMediaState(): void {
    this.send({ t: 'media', ...this.side.mediaState() })
  }

  /** Whether we want their video (a tile off screen does not): they stop sending it to us. */
  setWanted(role: StreamRole, on: boolean): void {
    if (this.side.remote.setWanted(role, on)) this.send({ t: 'want', role, on })
  }

  /** How big our tile of their video is: they send no more than that. Repeated sizes are not sent. */
  setWantedSize(role: StreamRole, size: FrameSize): void {
    const width = Math.max(1, Math.min(8192, Math.round(size.width)))
    const height = Math.max(1, Math.min(8192, Math.round(size.height)))
    const last = this.sizes[role]
    if (last && last.width === width && last.height === height) return
    this.sizes[role] = { width, height }
    this.send({ t: 'size', role, width, height })
  }

  /** We record our camera as this link sends it: they ask our encoder for a key frame to start from. */
  askKeyFrame(): void {
    this.send({ t: 'key-frame' })
  }

  private receive(message: ControlMessage | null): void {
    if (!message) return
    if (message.t === 'streams') {
      this.side.remote.setRoles(message.camera, message.screen)
      this.side.refresh()
    } else if (message.t === 'media') this.side.onRemoteMedia({ muted: message.muted, cameraOff: message.cameraOff })
    else if (message.t === 'size') this.side.onWantedSize(message.role, { width: message.width, height: message.height })
    else if (message.t === 'key-frame') this.side.onKeyFrameWanted()
    else this.side.onWanted(message.role, message.on)
  }

  private send(message: ControlMessage): void {
    if (this.channel.readyState === 'open') this.channel.send(JSON.stringify(message))
  }
}
