import { toDymError, type DymApi, type ResponseOf, type RoomRules, type RoomView, type Settings } from '../../../shared/contract/index'
import { LocalMedia } from '../media/local-media'
import { rememberMeeting, type KeyValueStore } from '../recent/recent-meetings'
import { CallSession, type CallSessionOptions } from './call-session'
import { callSettingsOf, MeetingIceFeed } from './meeting-ice-feed'
import { createMeetingMesh, linkedByOf, presentMemberIds, sendLocalMedia } from './meeting-mesh'
import type { MeshEngine } from './mesh-engine'
import { SignalInbox } from './signal-inbox'

/** What the user asked for on the home screen (or through an invite link). */
export type JoinIntent = { kind: 'create'; title: string; rules: RoomRules } | { kind: 'join'; invite: string; title?: string }

/** After a rejoin from the "left" screen the invite is what we join with, whatever created the room. */
export function rejoinIntent(room: RoomView): JoinIntent {
  return { kind: 'join', invite: room.invite, title: room.title }
}

/** Why joining failed, in words for the user. */
export function describeJoinError(err: unknown): string {
  const e = toDymError(err)
  if (e.code === 'unavailable') {
    const sentence = /[.!?]$/.test(e.message) ? e.message : `${e.message}.`
    // The core's own network failing is one thing; a meeting nobody could be reached in says why itself.
    return /^The network /.test(e.message) ? `Meetings cannot start right now: ${sentence}` : sentence
  }
  if (e.code === 'not-found') return 'That meeting could not be found. Check the invite and try again.'
  if (e.code === 'bad-request') return 'That does not look like a valid invite.'
  return e.message
}

/**
 * Joining one meeting, from the camera check to the call. The pre-join screen renders `media`
 * and calls `prepare` and `join`; the order of things lives here: the devices open as the
 * settings say, the connections to the invite's members open early, the signal inbox listens
 * before the core is asked to join, and our devices and settings go over to the meeting.
 */
export class MeetingJoin {
  /** Ours until the join succeeds, then the meeting's (it closes them when the call ends). */
  readonly media = new LocalMedia({})
  private settings: Promise<Settings | null> = Promise.resolve(null)
  /** both known before Join: what the early offers need */
  private settingsNow: Settings | null = null
  private preconnected: ResponseOf<'room.preconnect'> | null = null
  private handedOver = false

  constructor(
    readonly intent: JoinIntent,
    private readonly dym: DymApi,
    private readonly recent: KeyValueStore
  ) {}

  /**
   * While the user checks camera and microphone: open them with the devices and quality from
   * the settings, and connect to the invite's members, so that Join has only the room's
   * handshake left (nobody in the meeting sees us before Join). Returns the undo, for a screen
   * that goes away: it closes the devices unless the meeting has them.
   */
  prepare(): () => void {
    let live = true
    this.settings = this.dym.invoke('settings.get', {}).catch(() => null)
    void this.settings.then((settings) => {
      this.settingsNow = settings
      if (!live) return
      if (settings) this.media.configure(settings.devices, settings.videoQuality, settings.noiseSuppression, settings.background)
      return this.media.start({ micMuted: false, cameraOn: true })
    })
    if (this.intent.kind === 'join')
      this.dym
        .invoke('room.preconnect', { invite: this.intent.invite })
        .then((answer) => (this.preconnected = answer))
        .catch(() => undefined)
    return () => {
      live = false
      if (!this.handedOver) this.media.close()
    }
  }

  /** Start or join the meeting. Rejects with the core's error (`describeJoinError` words it). */
  async join(): Promise<JoinedMeeting> {
    // Members offer as soon as they see us: keep their signals from now until the call takes them.
    const signals = new SignalInbox(this.dym)
    // In the page's console, as the mesh's lines are: a join that never ends shows how far it got.
    console.debug(`[join] asking the core to ${this.intent.kind === 'create' ? 'start the meeting' : 'join'}`)
    const joining =
      this.intent.kind === 'create'
        ? this.dym.invoke('room.create', { title: this.intent.title, rules: this.intent.rules })
        : this.dym.invoke('room.join', { invite: this.intent.invite })
    // While the core joins: our first offers to the members we reached on the pre-join screen.
    const early = this.earlyMesh(signals)
    let room: RoomView
    try {
      room = await joining
    } catch (err) {
      console.debug(`[join] the core said no: ${String(err)}`)
      early?.close()
      signals.close()
      throw err
    }
    console.debug('[join] the core answered: in the meeting')
    let engine = early
    if (engine && (room.roomId !== this.preconnected?.roomId || room.self.peerId !== this.preconnected.self)) {
      engine.close()
      engine = null
    }
    // Our offers go out now, before the meeting screen draws, and the ones to the members the
    // room still dials are made meanwhile; the call takes the mesh over.
    engine?.offerEarly(room.expected)
    engine?.setMembers(presentMemberIds(room), linkedByOf(room))
    rememberMeeting(this.recent, { roomId: room.roomId, title: room.title, invite: room.invite, lastJoinedAt: Date.now() })
    void this.rememberDevices()
    this.handedOver = true
    return new JoinedMeeting(this.intent, room, this.media, this.dym, signals, this.settings, engine)
  }

  /**
   * A mesh with an offer made for each invite member that answered our pre-join connection, held
   * until the room says they are in and expect it (MeshEngine.offerEarly). Not when the meeting
   * has relays: the first offer waits for their TURN credentials, which come after the join.
   */
  private earlyMesh(signals: SignalInbox): MeshEngine | null {
    const pre = this.preconnected
    const settings = this.settingsNow
    if (!pre?.roomId || !pre.self || !pre.members?.length || pre.relays !== false || !settings) return null
    const own = callSettingsOf(settings)
    const engine = createMeetingMesh({
      dym: this.dym,
      roomId: pre.roomId,
      selfId: pre.self,
      signals,
      ice: own,
      videoQuality: own.videoQuality
    })
    sendLocalMedia(engine, this.media)
    engine.offerEarly(pre.members)
    return engine
  }

  /** The devices chosen for this meeting are the next meeting's defaults. */
  private async rememberDevices(): Promise<void> {
    const settings = await this.settings
    const devices = { ...settings?.devices, ...this.media.getSnapshot().devices }
    await this.dym.invoke('settings.update', { devices }).catch(() => undefined)
  }
}

/** A meeting this window is in: the room, our devices, and the signals kept for its call. */
export class JoinedMeeting {
  constructor(
    readonly intent: JoinIntent,
    readonly room: RoomView,
    readonly media: LocalMedia,
    private readonly dym: DymApi,
    /** kept since before the join: the call takes them, and closes the inbox when it ends */
    readonly signals: SignalInbox,
    /** as the join read them: the call need not ask again */
    private readonly settings: Promise<Settings | null>,
    /** the mesh the join started, its first offers sent */
    private readonly engine: MeshEngine | null = null
  ) {}

  /** The call over this meeting; it follows STUN/TURN and quality changes while it runs. */
  createCall(events: Pick<CallSessionOptions, 'onToast' | 'onEnded'>): CallSession {
    const { dym } = this
    // The user's STUN/TURN plus the meeting relays' (fresh credentials, renewed while the call runs).
    const ice = new MeetingIceFeed(dym, this.room.roomId)
    return new CallSession({
      dym,
      room: this.room,
      media: this.media,
      signals: this.signals,
      engine: this.engine,
      loadSettings: async () => ice.load(callSettingsOf((await this.settings) ?? (await dym.invoke('settings.get', {})))),
      onSettingsChanged: (listener) => {
        const off = ice.subscribe(listener)
        return () => {
          off()
          ice.close()
        }
      },
      ...events
    })
  }
}
