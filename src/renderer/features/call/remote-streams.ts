import type { StreamRole } from './model'

/**
 * The streams one remote member sends us, and which is their camera (with their microphone)
 * and which their screen. Their engine tells ours the stream ids over the control channel;
 * until it has, a stream with audio is the camera and a video-only one beside it the screen.
 */
export class RemoteStreams {
  private readonly streams = new Map<string, MediaStream>()
  private roles: { camera: string | null; screen: string | null } = { camera: null, screen: null }
  private readonly wanted: Record<StreamRole, boolean> = { camera: true, screen: true }

  constructor(private readonly onChange: () => void) {}

  /** A track arrived (ontrack); a track coming back may bring a new stream object with an old id. */
  add(ev: RTCTrackEvent): void {
    const stream = ev.streams[0] ?? new MediaStream([ev.track])
    if (this.streams.get(stream.id) !== stream) {
      this.streams.set(stream.id, stream)
      stream.addEventListener('removetrack', this.onChange)
      stream.addEventListener('addtrack', this.onChange)
    }
    for (const type of ['mute', 'unmute', 'ended'] as const) ev.track.addEventListener(type, this.onChange)
    this.applyWanted()
  }

  setRoles(camera: string, screen: string | null): void {
    this.roles = { camera, screen }
    this.applyWanted()
  }

  /** Whether we show their video of this role; what we do not show is not decoded. */
  setWanted(role: StreamRole, on: boolean): boolean {
    if (this.wanted[role] === on) return false
    this.wanted[role] = on
    this.applyWanted()
    return true
  }

  isWanted(role: StreamRole): boolean {
    return this.wanted[role]
  }

  roleOfTrack(trackId: string): StreamRole | null {
    for (const stream of this.streams.values()) if (stream.getTrackById(trackId)) return this.roleOf(stream)
    return null
  }

  /** Their camera stream (with the microphone) and their screen, if they share one now. */
  current(): { camera: MediaStream | null; screen: MediaStream | null } {
    let camera: MediaStream | null = null
    let screen: MediaStream | null = null
    for (const stream of this.streams.values()) {
      if (this.roleOf(stream) === 'camera') camera ??= stream
      else if (stream.getVideoTracks().some((t) => t.readyState === 'live')) screen = stream
    }
    return { camera, screen }
  }

  private roleOf(stream: MediaStream): StreamRole {
    if (this.roles.screen === stream.id) return 'screen'
    if (this.roles.camera === stream.id) return 'camera'
    if (stream.getAudioTracks().length > 0) return 'camera'
    const other = [...this.streams.values()].some((s) => s !== stream && s.getAudioTracks().length > 0)
    return other ? 'screen' : 'camera'
  }

  private applyWanted(): void {
    for (const stream of this.streams.values()) {
      const on = this.wanted[this.roleOf(stream)]
      for (const track of stream.getVideoTracks()) track.enabled = on
    }
  }
}
