/**
 * What the mesh lab page exposes as `window.lab`, in plain types (no DOM), so the Node-side
 * test can call it with type checking.
 */
export interface LabAddOptions {
  ice?: { iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }>; iceTransportPolicy: 'all' | 'relay' }
  videoQuality?: 'low' | 'medium' | 'high'
  offerGraceMs?: number
  disconnectGraceMs?: number
  connectTimeoutMs?: number
  warmupMs?: number
  maxIceRestarts?: number
  answerTimeoutMs?: number
}

export interface LabPeerView {
  id: string
  state: string
  polite: boolean
  camera: boolean
  cameraStream: string | null
  screen: boolean
  screenStream: string | null
  audioLevel: number
  route: 'direct' | 'relayed' | null
  quality: number
  framesDecoded: number
  screenFramesDecoded: number
  iceRestarts: number
}

export interface LabEncoding {
  active: boolean
  maxBitrate: number | null
  scaleResolutionDownBy: number | null
  maxFramerate: number | null
}

export interface LabInbound {
  video: Array<{ trackIdentifier: string; framesDecoded: number; frameWidth: number }>
  audioEnergy: number
  audioLevel: number
  transceivers: number
  signalingState: string
  connectionState: string
}

export interface LabTransceiver {
  mid: string | null
  kind: string
  direction: string
  current: string | null
  sending: string | null
  receiving: { id: string; state: string; muted: boolean }
}

export interface Rgb {
  r: number
  g: number
  b: number
}

export interface LabApi {
  reset(options?: { reorder?: boolean; loseFirstCandidates?: boolean }): void
  add(id: string, options?: LabAddOptions): Promise<void>
  remove(id: string): void
  /** the room's members as id's room shows them; `linkedBy`: who dialled each meeting link */
  members(id: string, ids: string[], linkedBy?: Record<string, 'us' | 'them'>): void
  /** id prepares its offers to `ids` before the room lets it in (held until members says) */
  offerEarly(id: string, ids: string[]): void
  view(id: string): LabPeerView[]
  inbound(id: string, remote: string): Promise<LabInbound>
  senderParams(id: string, remote: string): { camera: LabEncoding | null; screen: LabEncoding | null }
  swapCamera(id: string, color: string): Promise<void>
  startScreen(id: string, color: string): void
  stopScreen(id: string): void
  remoteColor(id: string, remote: string, role: 'camera' | 'screen'): Promise<Rgb>
  setVideoWanted(id: string, remote: string, role: 'camera' | 'screen', on: boolean): void
  restartIce(id: string, remote?: string): void
  /** new STUN/TURN servers for id's engine (resolves once every link has them) */
  setIce(id: string, ice: NonNullable<LabAddOptions['ice']>): Promise<void>
  remoteUfrag(id: string, remote: string): string | null
  transceivers(id: string, remote: string): LabTransceiver[]
  blockSignalling(id: string, blocked: boolean): void
  /** every answer `id` sends from now on arrives `ms` late (what it sends after it waits behind it) */
  delayAnswers(id: string, ms: number): void
  /** roll back id's unanswered offer to remote behind the engine's back and make a new one */
  takeBackOffer(id: string, remote: string): Promise<void>
  delivered(): number
  log(id: string): string[]
  /** offers `id` sent while its signalling was blocked */
  droppedOffers(id: string): number
  /** the signalling state of id's peer connection to remote (null: none) */
  signalingState(id: string, remote: string): string | null
  /** offers `id` put on the bus, blocked or not */
  sentOffers(id: string): number
}
