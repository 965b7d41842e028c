import { CAPTURE_SIZE } from '../call/bitrate'
import type { VideoQuality } from '../call/model'
import type { Background } from '../../../shared/contract/index'
import { BackgroundEffect } from './background/background-effect'
import { describeMediaError } from './devices'
import { EffectSlot } from './effect-slot'
import { NoiseSuppressor } from './noise-suppression'

export interface DevicePrefs {
  micId?: string
  cameraId?: string
  speakerId?: string
}

export type LocalTrackKind = 'audio' | 'camera' | 'screen'

export interface LocalMediaSnapshot {
  micMuted: boolean
  cameraOn: boolean
  screenOn: boolean
  mic: MediaStreamTrack | null
  camera: MediaStreamTrack | null
  screen: MediaStreamTrack | null
  /** camera only, a new object whenever the camera track changes (for <video srcObject>) */
  preview: MediaStream | null
  screenPreview: MediaStream | null
  devices: DevicePrefs
  micError: string | null
  /** RNNoise on the microphone (the browser's own suppression stays on underneath) */
  noiseSuppression: boolean
  /** true while what we send goes through RNNoise (false while it loads, or when it failed) */
  noiseActive: boolean
  /** why the noise suppression could not start (then the plain microphone is sent) */
  noiseError: string | null
  /** what is behind the person in what we send and preview: as it is, blurred, or a picture */
  background: Background
  /** true while what we send goes through the background effect */
  backgroundActive: boolean
  /** why the background effect could not start, or why it turned itself off */
  backgroundError: string | null
  cameraError: string | null
  screenError: string | null
}

type TrackListener = (kind: LocalTrackKind, track: MediaStreamTrack | null) => void

/**
 * The user's own microphone, camera and screen, from the pre-join screen through the meeting.
 * Mute keeps the microphone open and sends silence (`enabled = false`); camera off releases the
 * camera (its light goes out); a device switch opens the new device and hands the new track to
 * whoever listens (the mesh replaces it in every link, no renegotiation).
 */
export class LocalMedia {
  private snap: LocalMediaSnapshot
  private readonly listeners = new Set<() => void>()
  private readonly trackListeners = new Set<TrackListener>()
  private closed = false
  /** the microphone itself; `snap.mic` is what we send (this, or it through the suppressor) */
  private rawMic: MediaStreamTrack | null = null
  private readonly suppressor = new EffectSlot<NoiseSuppressor>()
  /** the camera itself; `snap.camera` is what we send (this, or it through the background effect) */
  private rawCamera: MediaStreamTrack | null = null
  private readonly backdrop = new EffectSlot<BackgroundEffect>()

  constructor(
    prefs: DevicePrefs,
    private quality: VideoQuality = 'medium'
  ) {
    this.snap = {
      micMuted: false,
      cameraOn: true,
      screenOn: false,
      mic: null,
      camera: null,
      screen: null,
      preview: null,
      screenPreview: null,
      devices: { ...prefs },
      micError: null,
      noiseSuppression: false,
      noiseActive: false,
      noiseError: null,
      background: 'none',
      backgroundActive: false,
      backgroundError: null,
      cameraError: null,
      screenError: null
    }
  }

  getSnapshot = (): LocalMediaSnapshot => this.snap

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Told about every track change (device switch, camera on/off, screen start/stop). */
  onTrack(listener: TrackListener): () => void {
    this.trackListeners.add(listener)
    return () => this.trackListeners.delete(listener)
  }

  /** Device choices, capture quality, noise suppression and background from the settings, before `start`. */
  configure(devices: DevicePrefs, quality: VideoQuality, noiseSuppression = false, background: Background = 'none'): void {
    this.quality = quality
    this.update({ devices: { ...devices }, noiseSuppression, background })
  }

  /**
   * What to show behind the person; what we send changes at once (the mesh swaps the track, no
   * renegotiation). Between blur and pictures the running effect just changes its look.
   */
  async setBackground(background: Background): Promise<void> {
    if (background === this.snap.background) return
    this.update({ background, backgroundError: null })
    const running = this.backdrop.effect
    if (running && background !== 'none') return running.setLook(background)
    if (this.rawCamera) await this.publishCamera(this.rawCamera)
  }

  /** Switch RNNoise on or off; what we send changes at once (the mesh swaps the track, no renegotiation). */
  async setNoiseSuppression(on: boolean): Promise<void> {
    if (on === this.snap.noiseSuppression) return
    this.update({ noiseSuppression: on, noiseError: null })
    if (this.rawMic) await this.publishMic(this.rawMic)
  }

  /** Open the microphone (and the camera unless `cameraOn` is false) with one permission prompt. */
  async start(options: { micMuted: boolean; cameraOn: boolean }): Promise<void> {
    this.closed = false
    this.update({ micMuted: options.micMuted, cameraOn: options.cameraOn })
    let stream: MediaStream | null = null
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: this.audioConstraints(),
        video: options.cameraOn ? this.videoConstraints() : false
      })
    } catch (err) {
      // One of the two failed: try each alone, so a missing camera still leaves the microphone.
      console.warn(`camera and microphone together: ${describeError(err)}; trying each alone`)
    }
    if (stream) {
      // Each may load an effect (the background's model, RNNoise): neither waits for the other.
      await Promise.all([this.adoptCamera(stream.getVideoTracks()[0] ?? null), this.adoptMic(stream.getAudioTracks()[0] ?? null)])
      return
    }
    await this.openMic(this.snap.devices.micId)
    if (options.cameraOn) await this.openCamera(this.snap.devices.cameraId)
  }

  setMicMuted(muted: boolean): void {
    if (this.snap.mic) this.snap.mic.enabled = !muted
    if (this.rawMic) this.rawMic.enabled = !muted
    this.update({ micMuted: muted })
  }

  async setCameraOn(on: boolean): Promise<void> {
    if (on === this.snap.cameraOn && (on ? this.snap.camera !== null : true)) return
    if (!on) {
      this.rawCamera?.stop()
      this.rawCamera = null
      this.backdrop.close()
      this.update({ cameraOn: false, camera: null, preview: null, backgroundActive: false })
      this.emitTrack('camera', null)
      return
    }
    this.update({ cameraOn: true })
    await this.openCamera(this.snap.devices.cameraId)
  }

  async useMic(micId: string): Promise<void> {
    this.update({ devices: { ...this.snap.devices, micId } })
    await this.openMic(micId)
  }

  async useCamera(cameraId: string): Promise<void> {
    this.update({ devices: { ...this.snap.devices, cameraId } })
    if (this.snap.cameraOn) await this.openCamera(cameraId)
  }

  useSpeaker(speakerId: string): void {
    this.update({ devices: { ...this.snap.devices, speakerId } })
  }

  /**
   * The capture size for a quality setting. Only a change is applied: new constraints on a live
   * camera may restart the device, and its picture stops for a second (in a browser with several
   * pages on one camera, every page's), so the same setting again must not touch it.
   */
  setQuality(quality: VideoQuality): void {
    if (quality === this.quality) return
    this.quality = quality
    void this.rawCamera?.applyConstraints(this.videoConstraints()).catch(() => undefined)
  }

  async startScreen(): Promise<boolean> {
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false })
      const track = stream.getVideoTracks()[0]
      if (!track) return false
      track.contentHint = 'detail'
      // The browser's own "Stop sharing" ends the track: treat it as our stop button.
      track.addEventListener('ended', () => {
        if (this.snap.screen === track) this.stopScreen()
      })
      this.update({ screen: track, screenOn: true, screenPreview: new MediaStream([track]), screenError: null })
      this.emitTrack('screen', track)
      return true
    } catch (err) {
      this.update({ screenError: describeMediaError(err, 'screen') })
      return false
    }
  }

  stopScreen(): void {
    if (!this.snap.screen) return
    this.snap.screen.stop()
    this.update({ screen: null, screenOn: false, screenPreview: null })
    this.emitTrack('screen', null)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const track of [this.rawMic, this.snap.mic, this.rawCamera, this.snap.camera, this.snap.screen]) track?.stop()
    this.suppressor.close()
    this.rawMic = null
    this.backdrop.close()
    this.rawCamera = null
    this.update({
      mic: null,
      camera: null,
      screen: null,
      preview: null,
      screenPreview: null,
      screenOn: false,
      noiseActive: false,
      backgroundActive: false
    })
  }

  private async openMic(micId?: string): Promise<void> {
    try {
      const stream = await openDevices({ audio: this.audioConstraints(micId) })
      await this.adoptMic(stream.getAudioTracks()[0] ?? null)
    } catch (err) {
      console.warn(`microphone: ${describeError(err)}`)
      this.update({ micError: describeMediaError(err, 'microphone') })
    }
  }

  private async openCamera(cameraId?: string): Promise<void> {
    try {
      const stream = await openDevices({ video: this.videoConstraints(cameraId) })
      if (!this.snap.cameraOn || this.closed) {
        for (const t of stream.getTracks()) t.stop()
        return
      }
      await this.adoptCamera(stream.getVideoTracks()[0] ?? null)
    } catch (err) {
      console.warn(`camera: ${describeError(err)}`)
      this.update({ cameraError: describeMediaError(err, 'camera'), cameraOn: false })
    }
  }

  /** A newly opened microphone: the old one is stopped, and the new one sent (through the suppressor if on). */
  private async adoptMic(track: MediaStreamTrack | null): Promise<void> {
    if (this.closed) {
      track?.stop()
      return
    }
    if (this.rawMic && this.rawMic !== track) this.rawMic.stop()
    this.rawMic = track
    this.update({ micError: null, devices: { ...this.snap.devices, micId: track?.getSettings().deviceId ?? this.snap.devices.micId } })
    await this.publishMic(track)
  }

  /** Send `raw`, through RNNoise when it is on; if RNNoise cannot start, the plain microphone, and say why. */
  private async publishMic(raw: MediaStreamTrack | null): Promise<void> {
    const applied = await this.suppressor.apply(
      raw,
      this.snap.noiseSuppression,
      (t) => NoiseSuppressor.create(t),
      () => this.closed
    )
    if (!applied) return
    if (applied.error) console.warn(`noise suppression: ${describeError(applied.error)}`)
    const noiseError = applied.error ? 'Noise suppression could not start: your microphone is sent as it is.' : null
    if (applied.send) applied.send.enabled = !this.snap.micMuted
    if (raw) raw.enabled = !this.snap.micMuted
    this.update({ mic: applied.send, noiseError, noiseActive: applied.active })
    this.emitTrack('audio', applied.send)
    applied.retire()
  }

  /** A newly opened camera: the old one is stopped, and the new one sent (through the background effect if on). */
  private async adoptCamera(track: MediaStreamTrack | null): Promise<void> {
    if (this.closed) {
      track?.stop()
      return
    }
    if (this.rawCamera && this.rawCamera !== track) this.rawCamera.stop()
    this.rawCamera = track
    this.update({
      cameraError: null,
      devices: { ...this.snap.devices, cameraId: track?.getSettings().deviceId ?? this.snap.devices.cameraId }
    })
    await this.publishCamera(track)
  }

  /**
   * Send `raw`, through the background effect when one is chosen. A camera with a background
   * chosen is never sent without it while the effect loads; if it cannot start, or cannot keep
   * up, the plain camera is sent and the person told.
   */
  private async publishCamera(raw: MediaStreamTrack | null): Promise<void> {
    const look = this.snap.background
    const create = (t: MediaStreamTrack) => {
      if (look === 'none') throw new Error('no background effect chosen')
      const made: Promise<BackgroundEffect> = BackgroundEffect.create(t, look, (why) => void made.then((e) => this.effectStopped(e, why)))
      return made
    }
    const applied = await this.backdrop.apply(raw, look !== 'none', create, () => this.closed)
    if (!applied) return
    if (applied.error) console.warn(`background effect: ${describeError(applied.error)}`)
    // A failure said earlier (it turned itself off) stays until the person chooses again.
    const backgroundError = applied.error ? 'Your background could not start: your camera is sent as it is.' : this.snap.backgroundError
    // The look may have changed while the effect started.
    const effect = this.backdrop.effect
    if (effect && this.snap.background !== 'none' && effect.look !== this.snap.background) effect.setLook(this.snap.background)
    this.update({
      camera: applied.send,
      preview: applied.send ? new MediaStream([applied.send]) : null,
      backgroundError,
      backgroundActive: applied.active
    })
    this.emitTrack('camera', applied.send)
    applied.retire()
  }

  private effectStopped(effect: BackgroundEffect, why: string): void {
    if (effect !== this.backdrop.effect) return
    this.update({ background: 'none', backgroundError: why })
    void this.publishCamera(this.rawCamera)
  }

  private audioConstraints(micId = this.snap.devices.micId): MediaTrackConstraints {
    return { deviceId: micId ? { exact: micId } : undefined, echoCancellation: true, noiseSuppression: true, autoGainControl: true }
  }

  private videoConstraints(cameraId = this.snap.devices.cameraId): MediaTrackConstraints {
    const size = CAPTURE_SIZE[this.quality]
    return {
      deviceId: cameraId ? { exact: cameraId } : undefined,
      width: { ideal: size.width },
      height: { ideal: size.height },
      frameRate: { ideal: 30 }
    }
  }

  private emitTrack(kind: LocalTrackKind, track: MediaStreamTrack | null): void {
    for (const listener of this.trackListeners) listener(kind, track)
  }

  private update(patch: Partial<LocalMediaSnapshot>): void {
    this.snap = { ...this.snap, ...patch }
    for (const listener of this.listeners) listener()
  }
}

/**
 * getUserMedia with the devices the user chose, or the system's default ones when a chosen device
 * is not there any more: unplugged, or its id changed (ids are per browser profile and change
 * when site data is cleared). Without this a saved camera that went away left the user with no
 * camera at all, and the others with a black tile. `adopt` then saves the device actually used.
 */
async function openDevices(constraints: { audio?: MediaTrackConstraints; video?: MediaTrackConstraints | false }): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia(constraints)
  } catch (err) {
    const name = err instanceof DOMException ? err.name : ''
    const chosen = [constraints.audio, constraints.video].some((c) => c && c.deviceId !== undefined)
    if (!chosen || (name !== 'OverconstrainedError' && name !== 'NotFoundError')) throw err
    console.warn(`the chosen device is not there (${describeError(err)}): using the default one`)
    return navigator.mediaDevices.getUserMedia({ audio: anyDevice(constraints.audio), video: anyDevice(constraints.video) })
  }
}

function anyDevice(c: MediaTrackConstraints | false | undefined): MediaTrackConstraints | false | undefined {
  if (!c) return c
  const { deviceId: _chosen, ...rest } = c
  return rest
}

/** For the log: the browser's own name and words for a device failure. */
function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}
