import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { RoomView } from '../../../shared/contract/index'
import { CloseIcon } from '../../app/icons'
import { rejoinIntent, type JoinIntent, type Navigate } from '../../app/router'
import { useToasts } from '../../app/toasts'
import { CallSession, type CallSettings } from '../../features/call/call-session'
import { ChatPanel } from '../../features/chat/ChatPanel'
import type { LocalMedia } from '../../features/media/local-media'
import { RemoteAudio } from '../../features/media/RemoteAudio'
import { currentSettings, onSettingsSaved } from '../settings/settings-adapter'
import type { AppSettings } from '../settings/settings-model'
import { ControlBar } from './ControlBar'
import { DevicesDialog } from './DevicesDialog'
import { InviteBox, InviteButton } from './InviteButton'
import { ParticipantsPanel } from './ParticipantsPanel'
import { RecordingBadges } from './RecordingBadges'
import { ShortcutsHelp } from './ShortcutsHelp'
import { useShortcuts, type ShortcutAction } from './shortcuts'
import { useShortcutCommands } from '../../features/shortcuts/use-shortcut-commands'
import { SidePanel } from './SidePanel'
import { Stage, type LayoutMode } from './Stage'
import { buildTiles } from './tiles'
import { useMeetingRecording } from './use-meeting-recording'
import './meeting.css'

export interface MeetingScreenProps {
  room: RoomView
  media: LocalMedia
  intent: JoinIntent
  go: (action: Navigate) => void
}

const callSettings = (s: AppSettings): CallSettings => ({
  iceServers: s.iceServers,
  iceTransportPolicy: s.iceTransportPolicy,
  videoQuality: s.videoQuality
})

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const s = Math.max(0, Math.floor((now - since) / 1000))
  const text =
    s >= 3600
      ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
      : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
  return (
    <span className="meeting-time" aria-label={`In the meeting for ${text}`}>
      {text}
    </span>
  )
}

/** The meeting: the stage of tiles, the side panels, the controls, and everyone's sound. */
export function MeetingScreen({ room, media, go }: MeetingScreenProps) {
  const toasts = useToasts()
  const [session] = useState(
    () =>
      new CallSession({
        dym: window.dym,
        room,
        media,
        loadSettings: async () => callSettings(await currentSettings()),
        onSettingsChanged: (listener) => onSettingsSaved((s) => listener(callSettings(s))),
        onToast: (t) => toasts.push(t),
        onEnded: (reason) => go({ to: 'left', title: room.title, intent: rejoinIntent(room), reason })
      })
  )
  useEffect(() => {
    session.retain()
    // Diagnostics for tests and benchmarks, only when asked for: the session as `window.dymCall`.
    if (localStorage.getItem('dym.debug') === '1') (window as unknown as { dymCall?: CallSession }).dymCall = session
    return () => session.release()
  }, [session])

  const state = useSyncExternalStore(session.subscribe, session.getSnapshot)
  const local = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const chat = useSyncExternalStore(session.chat.subscribe, session.chat.getSnapshot)
  const [panel, setPanel] = useState<'chat' | 'people' | null>(null)
  const [chosenLayout, setChosenLayout] = useState<LayoutMode | null>(null)
  const [pinned, setPinned] = useState<string | null>(null)
  const [help, setHelp] = useState(false)
  const [devicesOpen, setDevicesOpen] = useState(false)
  const [inviteOpen, setInviteOpen] = useState(false)
  const [aloneDismissed, setAloneDismissed] = useState(false)

  useEffect(() => session.chat.setOpen(panel === 'chat'), [session, panel])

  const tiles = useMemo(
    () =>
      buildTiles({
        self: state.room.self,
        members: state.members,
        peers: state.peers,
        local: { preview: local.preview, screenPreview: local.screenPreview, micMuted: local.micMuted, cameraOn: local.cameraOn },
        hands: state.hands,
        speaker: state.speaker
      }),
    [state, local]
  )
  const reactions = useMemo(() => {
    const map = new Map<string, string[]>()
    for (const r of state.reactions) map.set(r.peerId, [...(map.get(r.peerId) ?? []), r.emoji])
    return map
  }, [state.reactions])
  const someoneShares = tiles.some((t) => t.role === 'screen' && !t.self)
  const layout: LayoutMode = chosenLayout ?? (someoneShares ? 'speaker' : 'grid')
  const handRaised = state.hands.has(session.selfId)
  const receiverOf = useCallback(
    (peerId: string, track: MediaStreamTrack) =>
      session.mesh
        ?.peerConnection(peerId)
        ?.getReceivers()
        .find((r) => r.track === track) ?? null,
    [session]
  )
  const recording = useMeetingRecording({
    roomId: room.roomId,
    title: state.room.title,
    selfId: session.selfId,
    tiles,
    mic: local.mic,
    onToast: toasts.push,
    receiverOf
  })

  const finishRecording = recording.finish
  const leave = useCallback(async () => {
    await finishRecording() // the file is finalised and everyone told before we go
    await session.leave()
    go({ to: 'left', title: room.title, intent: rejoinIntent(room) })
  }, [session, go, room, finishRecording])

  const togglePanel = (p: 'chat' | 'people') => setPanel((current) => (current === p ? null : p))
  const onVisible = useCallback((keys: ReadonlySet<string>) => session.setVisible(keys), [session])
  const onRetry = useCallback((peerId: string) => session.retry(peerId), [session])

  useShortcuts((action: ShortcutAction) => {
    if (action === 'mic') session.toggleMic()
    else if (action === 'camera') session.toggleCamera()
    else if (action === 'screen') void session.toggleScreen()
    else if (action === 'chat') togglePanel('chat')
    else if (action === 'people') togglePanel('people')
    else if (action === 'hand') session.setHand(!handRaised)
    else if (action === 'layout') setChosenLayout(layout === 'grid' ? 'speaker' : 'grid')
    else if (action === 'help') setHelp(true)
    else if (action === 'close') {
      if (help) setHelp(false)
      else if (devicesOpen) setDevicesOpen(false)
      else if (inviteOpen) setInviteOpen(false)
      else setPanel(null)
    }
  })

  // The desktop app's Meeting menu (it owns Ctrl/Cmd+Shift+M and friends) drives the same actions.
  useShortcutCommands((command) => {
    if (command === 'toggle-mute') session.toggleMic()
    else if (command === 'toggle-camera') session.toggleCamera()
    else if (command === 'share-screen') void session.toggleScreen()
    else if (command === 'raise-hand') session.setHand(!handRaised)
    else if (command === 'toggle-chat') togglePanel('chat')
    else if (command === 'leave-meeting') void leave()
  }, null)

  const alone = state.members.length === 0 && !aloneDismissed && !inviteOpen
  const people = state.members.length + 1

  return (
    <div className="meeting" data-testid="meeting" data-room-id={room.roomId}>
      <header className="meeting-top">
        <div className="meeting-heading">
          <h1 className="meeting-title" data-testid="meeting-title">
            {state.room.title || 'Meeting'}
          </h1>
          <span className="meeting-meta">
            <Elapsed since={room.joinedAt} />
            <span aria-hidden="true">·</span>
            <span data-testid="meeting-people">{people === 1 ? 'Just you' : `${people} people`}</span>
          </span>
          <RecordingBadges recorders={state.room.recorders} selfId={session.selfId} recording={recording} />
          {local.screenOn && (
            <span className="badge badge--share" data-testid="screen-share-indicator" role="status">
              You are sharing your screen
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => void session.toggleScreen()}
                data-testid="screen-share-stop"
              >
                Stop sharing
              </button>
            </span>
          )}
        </div>
        <InviteButton invite={state.room.invite} open={inviteOpen} onOpenChange={setInviteOpen} />
      </header>

      <div className="meeting-body">
        <div className="meeting-stage">
          <Stage
            tiles={tiles}
            layout={layout}
            pinned={pinned}
            speaker={state.speaker}
            reactions={reactions}
            onPin={setPinned}
            onRetry={onRetry}
            onVisible={onVisible}
          />
          {alone && (
            <section className="alone-card card" aria-labelledby="alone-title">
              <div className="alone-head">
                <h2 id="alone-title">Your meeting is ready</h2>
                <button
                  type="button"
                  className="icon-btn icon-btn--small"
                  aria-label="Close the invite card"
                  onClick={() => setAloneDismissed(true)}
                >
                  <CloseIcon size={16} />
                </button>
              </div>
              <InviteBox invite={state.room.invite} />
            </section>
          )}
        </div>
        {panel === 'chat' && (
          <SidePanel title="Chat" onClose={() => setPanel(null)} testId="chat-panel">
            <ChatPanel store={session.chat} selfId={session.selfId} />
          </SidePanel>
        )}
        {panel === 'people' && (
          <ParticipantsPanel
            self={state.room.self}
            selfMuted={local.micMuted}
            selfCameraOff={!local.cameraOn}
            members={state.members}
            peers={state.peers}
            hands={state.hands}
            joinRequests={state.joinRequests}
            onAdmit={(id, admit) => session.admit(id, admit)}
            onClose={() => setPanel(null)}
          />
        )}
      </div>

      <ControlBar
        micMuted={local.micMuted}
        cameraOn={local.cameraOn}
        screenOn={local.screenOn}
        handRaised={handRaised}
        panel={panel}
        unread={chat.unread}
        layout={layout}
        recording={recording.active}
        onRecord={recording.toggle}
        onMic={() => session.toggleMic()}
        onCamera={() => session.toggleCamera()}
        onScreen={() => void session.toggleScreen()}
        onHand={() => session.setHand(!handRaised)}
        onReact={(emoji) => session.react(emoji)}
        onPanel={togglePanel}
        onLayout={() => setChosenLayout(layout === 'grid' ? 'speaker' : 'grid')}
        onHelp={() => setHelp(true)}
        onDevices={() => setDevicesOpen(true)}
        onLeave={() => void leave()}
      />

      <div className="remote-audio" aria-hidden="true">
        {[...state.peers.values()].map(
          (p) => p.camera && <RemoteAudio key={p.id} peerId={p.id} stream={p.camera} speakerId={local.devices.speakerId} />
        )}
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      {devicesOpen && <DevicesDialog media={media} onClose={() => setDevicesOpen(false)} />}
    </div>
  )
}
