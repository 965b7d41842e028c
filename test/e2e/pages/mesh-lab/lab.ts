import { MeshEngine } from '../../../../src/renderer/features/call/mesh-engine'
import { InPageBus } from './in-page-bus'
import type { LabApi, LabAddOptions } from './lab-api'

/**
 * A test page: several mesh engines in one Chromium page, each with its own fake camera and
 * microphone, signalling through an in-page bus. The e2e test drives it through `window.lab`.
 */
interface LabPeer {
  id: string
  engine: MeshEngine
  media: MediaStream
  camera: MediaStreamTrack | null
  screen: MediaStreamTrack | null
  members: string[]
  log: string[]
  stopDrawing: Array<() => void>
}

let bus = new InPageBus()
const peers = new Map<string, LabPeer>()

function peer(id: string): LabPeer {
  const p = peers.get(id)
  if (!p) throw new Error(`no lab peer ${id}`)
  return p
}

function pc(id: string, remote: string): RTCPeerConnection {
  const connection = peer(id).engine.peerConnection(remote)
  if (!connection) throw new Error(`${id} has no connection to ${remote}`)
  return connection
}

/** A canvas track that keeps producing frames of one colour (with a moving bar, so frames differ). */
function paintedTrack(color: string, width: number, height: number): { track: MediaStreamTrack; stop: () => void } {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d context')
  let x = 0
  const draw = () => {
    ctx.fillStyle = color
    ctx.fillRect(0, 0, width, height)
    ctx.fillStyle = '#000'
    ctx.fillRect(x, 0, 4, 8)
    x = (x + 4) % width
  }
  draw()
  const timer = setInterval(draw, 50)
  const track = canvas.captureStream(20).getVideoTracks()[0]
  if (!track) throw new Error('no canvas track')
  return { track, stop: () => clearInterval(timer) }
}

async function frameColor(stream: MediaStream): Promise<{ r: number; g: number; b: number }> {
  const video = document.createElement('video')
  video.muted = true
  video.srcObject = new MediaStream(stream.getVideoTracks())
  document.getElementById('stage')?.append(video)
  await video.play()
  await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()))
  const canvas = document.createElement('canvas')
  canvas.width = 32
  canvas.height = 32
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('no 2d context')
  ctx.drawImage(video, 0, 0, 32, 32)
  const data = ctx.getImageData(0, 16, 32, 16).data
  let r = 0
  let g = 0
  let b = 0
  for (let i = 0; i < data.length; i += 4) {
    r += data[i] ?? 0
    g += data[i + 1] ?? 0
    b += data[i + 2] ?? 0
  }
  const n = data.length / 4
  video.remove()
  return { r: Math.round(r / n), g: Math.round(g / n), b: Math.round(b / n) }
}

const lab: LabApi = {
  reset(options: { reorder?: boolean; loseFirstCandidates?: boolean } = {}): void {
    for (const p of peers.values()) lab.remove(p.id)
    bus = new InPageBus(options)
  },

  async add(id: string, options: LabAddOptions = {}): Promise<void> {
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } })
    const log: string[] = []
    const engine = new MeshEngine({
      selfId: id,
      transport: bus.transport(id),
      statsIntervalMs: 500,
      watchNetwork: false,
      ...options,
      log: (m, d) => log.push(d ? `${m}: ${String(d)}` : m)
    })
    const camera = media.getVideoTracks()[0] ?? null
    await engine.setLocalTrack('audio', media.getAudioTracks()[0] ?? null)
    await engine.setLocalTrack('camera', camera)
    // Chromium decodes remote audio only when something plays it, as the meeting view does.
    const players = new Map<string, HTMLAudioElement>()
    engine.subscribe(() => {
      for (const view of engine.getSnapshot()) {
        if (!view.camera || players.get(view.id)?.srcObject === view.camera) continue
        const audio = players.get(view.id) ?? document.createElement('audio')
        audio.autoplay = true
        audio.srcObject = view.camera
        document.getElementById('stage')?.append(audio)
        players.set(view.id, audio)
      }
    })
    peers.set(id, { id, engine, media, camera, screen: null, members: [], log, stopDrawing: [] })
  },

  /** Close a peer's engine and media, as a crashed or closed app would. */
  remove(id: string): void {
    const p = peers.get(id)
    if (!p) return
    p.engine.close()
    for (const t of p.media.getTracks()) t.stop()
    p.screen?.stop()
    for (const stop of p.stopDrawing) stop()
    peers.delete(id)
  },

  members(id: string, ids: string[], linkedBy?: Record<string, 'us' | 'them'>): void {
    peer(id).members = ids
    peer(id).engine.setMembers(ids, linkedBy ? (other) => linkedBy[other] : undefined)
  },

  offerEarly(id: string, ids: string[]): void {
    peer(id).engine.offerEarly(ids)
  },

  view(id: string) {
    return peer(id)
      .engine.getSnapshot()
      .map((v) => ({
        id: v.id,
        state: v.state,
        polite: v.polite,
        camera: v.camera !== null,
        cameraStream: v.camera?.id ?? null,
        screen: v.screen !== null,
        screenStream: v.screen?.id ?? null,
        audioLevel: peer(id).engine.audioLevels().get(v.id) ?? 0,
        route: v.stats?.route ?? null,
        quality: v.stats?.quality ?? 0,
        framesDecoded: v.stats?.framesDecoded ?? 0,
        screenFramesDecoded: v.stats?.screenFramesDecoded ?? 0,
        iceRestarts: v.iceRestarts
      }))
  },

  /** Inbound media on the link id <- remote, straight from getStats. */
  async inbound(id: string, remote: string) {
    const report = await pc(id, remote).getStats()
    const video: Array<{ trackIdentifier: string; framesDecoded: number; frameWidth: number }> = []
    let audioEnergy = 0
    let audioLevel = 0
    report.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return
      if (s.kind === 'video')
        video.push({
          trackIdentifier: String(s.trackIdentifier),
          framesDecoded: Number(s.framesDecoded ?? 0),
          frameWidth: Number(s.frameWidth ?? 0)
        })
      if (s.kind === 'audio') {
        audioEnergy += Number(s.totalAudioEnergy ?? 0)
        audioLevel = Math.max(audioLevel, Number(s.audioLevel ?? 0))
      }
    })
    return {
      video,
      audioEnergy,
      audioLevel,
      transceivers: pc(id, remote).getTransceivers().length,
      signalingState: pc(id, remote).signalingState,
      connectionState: pc(id, remote).connectionState
    }
  },

  /** What id sends to remote: the first encoding of the camera and screen senders. */
  senderParams(id: string, remote: string) {
    const p = peer(id)
    const senders = pc(id, remote).getSenders()
    const encodingOf = (track: MediaStreamTrack | null) => {
      const sender = track ? senders.find((s) => s.track === track) : undefined
      const e = sender?.getParameters().encodings[0]
      return e
        ? {
            active: e.active !== false,
            maxBitrate: e.maxBitrate ?? null,
            scaleResolutionDownBy: e.scaleResolutionDownBy ?? null,
            maxFramerate: e.maxFramerate ?? null
          }
        : null
    }
    return { camera: encodingOf(p.camera), screen: encodingOf(p.screen) }
  },

  /** Hot-swap id's camera for a painted track of `color` (replaceTrack, no renegotiation). */
  async swapCamera(id: string, color: string): Promise<void> {
    const p = peer(id)
    const painted = paintedTrack(color, 320, 240)
    p.stopDrawing.push(painted.stop)
    p.camera = painted.track
    await p.engine.setLocalTrack('camera', painted.track)
  },

  startScreen(id: string, color: string): void {
    const p = peer(id)
    const painted = paintedTrack(color, 640, 360)
    p.stopDrawing.push(painted.stop)
    p.screen = painted.track
    p.engine.setScreenTrack(painted.track)
  },

  stopScreen(id: string): void {
    const p = peer(id)
    p.screen?.stop()
    p.screen = null
    p.engine.setScreenTrack(null)
  },

  /** Average colour of what id receives from remote (camera or screen). */
  async remoteColor(id: string, remote: string, role: 'camera' | 'screen') {
    const view = peer(id)
      .engine.getSnapshot()
      .find((v) => v.id === remote)
    const stream = role === 'camera' ? view?.camera : view?.screen
    if (!stream) throw new Error(`${id} has no ${role} stream from ${remote}`)
    return frameColor(stream)
  },

  setVideoWanted(id: string, remote: string, role: 'camera' | 'screen', on: boolean): void {
    peer(id).engine.setVideoWanted(remote, role, on)
  },

  restartIce(id: string, remote?: string): void {
    peer(id).engine.restartIce(remote)
  },

  setIce(id: string, ice: NonNullable<LabAddOptions['ice']>): Promise<void> {
    return peer(id).engine.setIce(ice)
  },

  remoteUfrag(id: string, remote: string): string | null {
    return /a=ice-ufrag:(\S+)/.exec(pc(id, remote).remoteDescription?.sdp ?? '')?.[1] ?? null
  },

  transceivers(id: string, remote: string) {
    return pc(id, remote)
      .getTransceivers()
      .map((t) => ({
        mid: t.mid,
        kind: t.receiver.track.kind,
        direction: t.direction,
        current: t.currentDirection,
        sending: t.sender.track?.id ?? null,
        receiving: { id: t.receiver.track.id, state: t.receiver.track.readyState, muted: t.receiver.track.muted }
      }))
  },

  blockSignalling(id: string, blocked: boolean): void {
    bus.setBlocked(id, blocked)
  },

  delayAnswers(id: string, ms: number): void {
    bus.setAnswerDelay(id, ms)
  },

  async takeBackOffer(id: string, remote: string): Promise<void> {
    const connection = pc(id, remote)
    if (connection.signalingState !== 'have-local-offer') throw new Error(`${id} has no offer out to ${remote}`)
    await connection.setLocalDescription({ type: 'rollback' })
    // negotiationneeded fires: the engine makes and sends a new offer
    connection.restartIce()
  },

  delivered(): number {
    return bus.delivered
  },

  droppedOffers(id: string): number {
    return bus.droppedOffers.get(id) ?? 0
  },

  signalingState(id: string, remote: string): RTCSignalingState | null {
    return peer(id).engine.peerConnection(remote)?.signalingState ?? null
  },

  sentOffers(id: string): number {
    return bus.sentOffers.get(id) ?? 0
  },

  log(id: string): string[] {
    return peer(id).log
  }
}

;(window as unknown as { lab: LabApi }).lab = lab
