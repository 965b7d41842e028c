/**
 * The tracks a link's transceivers are made with before we have a device: a silent one and a
 * still 16x16 one, made once per mesh and shared by its links (each replaces them at once).
 */
export class PlaceholderTracks {
  private readonly tracks = new Map<'audio' | 'video', MediaStreamTrack>()
  private audioContext: AudioContext | null = null

  get(kind: 'audio' | 'video'): MediaStreamTrack {
    let track = this.tracks.get(kind)
    if (!track) {
      if (kind === 'video') {
        const canvas = document.createElement('canvas')
        canvas.width = 16
        canvas.height = 16
        track = canvas.captureStream(0).getVideoTracks()[0]
      } else {
        this.audioContext ??= new AudioContext()
        track = this.audioContext.createMediaStreamDestination().stream.getAudioTracks()[0]
      }
      if (!track) throw new Error(`cannot make a placeholder ${kind} track`)
      this.tracks.set(kind, track)
    }
    return track
  }

  close(): void {
    for (const track of this.tracks.values()) track.stop()
    this.tracks.clear()
    void this.audioContext?.close().catch(() => undefined)
    this.audioContext = null
  }
}
