import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { rejoinIntent, type JoinedMeeting } from '../../features/call/meeting-join'
import type { CallSession } from '../../features/call/call-session'
import type { FrameSize } from '../../features/call/tile-fit'
import { ChatPanel } from '../../features/chat/ChatPanel'
import { CloseIcon } from '../../features/icons/icons'
import { RemoteAudio } from '../../features/media/RemoteAudio'
import type { Navigate } from '../../features/navigation/navigate'
import { ModerationClient } from '../../features/moderation/moderation-client'
import { ShortcutsDialog } from '../../features/shortcuts/ShortcutsDialog'
import { useToasts } from '../../features/toasts/toasts'
import { useConsentPrompts, type OwnSenders } from '../../features/recording'
import { ControlBar } from './ControlBar'
import { DevicesDialog } from './DevicesDialog'
import { InviteBox } from './InviteButton'
import { MEETING_KEYS_SECTION, useMeetingCommands, type MeetingCommand } from './meeting-commands'
import { MeetingHeader } from './MeetingHeader'
import { AskUnmuteCard, type ModerationControl } from './ModerationControls'
import { ParticipantsPanel } from './ParticipantsPanel'
import { SidePanel } from './SidePanel'
import { Stage, type LayoutMode } from './Stage'
import { buildTiles } from './tiles'
import { useMeetingRecording } from './use-meeting-recording'
import './meeting.css'

export interface MeetingScreenProps {
  meeting: JoinedMeeting
  go: (action: Navigate) => void
}

/** The meeting: the stage of tiles, the side panels, the controls, and everyone's sound. */
export function MeetingScreen({ meeting, go }: MeetingScreenProps) {
  const { room, media } = meeting
  const toasts = useToasts()
  const [moderation] = useState(
    () => new ModerationClient({ dym: window.dym, roomId: room.roomId, selfId: room.self.peerId, media, onToast: toasts.push })
  )
  const [session] = useState(() =>
    meeting.createCall({
      onToast: (t) => toasts.push(t),
      onEnded: (reason) =>
        go({ to: 'left', title: room.title, intent: rejoinIntent(room), reason, removed: moderation.getSnapshot().removedBy !== null })
    })
  )
  useEffect(() => moderation.start(), [moderation])
  useEffect(() => {
    session.retain()
    // Diagnostics for tests and benchmarks, only when asked for: the session as `window.dymCall`.
    if (localStorage.getItem('dym.debug') === '1') (window as unknown as { dymCall?: CallSession }).dymCall = session
    return () => session.release()
  }, [session])

  const state = useSyncExternalStore(session.subscribe, session.getSnapshot)
  const local = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const chat = useSyncExternalStore(session.chat.subscribe, session.chat.getSnapshot)
  const moderated = useSyncExternalStore(moderation.subscribe, moderation.getSnapshot)
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
  const ownSenders = useMemo<OwnSenders>(
    () => ({
      sends: (kind) => session.mesh?.ownSends(kind) ?? [],
      askKeyFrame: (peerId) => session.mesh?.askKeyFrame(peerId)
    }),
    [session]
  )
  const recording = useMeetingRecording({
    roomId: room.roomId,
    title: state.room.title,
    selfId: session.selfId,
    tiles,
    mic: local.mic,
    onToast: toasts.push,
    receiverOf,
    ownSenders
  })

  useConsentPrompts({
    roomId: room.roomId,
    selfId: session.selfId,
    recorders: state.room.recorders,
    requests: state.room.consentRequests,
    onToast: toasts.push
  })

  const finishRecording = recording.finish
  const leave = useCallback(async () => {
    await finishRecording() // the file is finalised and everyone told before we go
    await session.leave()
    go({ to: 'left', title: room.title, intent: rejoinIntent(room) })
  }, [session, go, room, finishRecording])

  const togglePanel = (p: 'chat' | 'people') => setPanel((current) => (current === p ? null : p))
  const onVisible = useCallback((tiles: ReadonlyMap<string, FrameSize>) => session.setVisible(tiles), [session])
  const onRetry = useCallback((peerId: string) => session.retry(peerId), [session])

  // The one table of what the meeting does when asked: by its control bar, its keys or the menu.
  const commands: Record<MeetingCommand, () => void> = {
    'toggle-mute': () => session.toggleMic(),
    'toggle-camera': () => session.toggleCamera(),
    'share-screen': () => void session.toggleScreen(),
    'raise-hand': () => session.setHand(!handRaised),
    'toggle-chat': () => togglePanel('chat'),
    'toggle-people': () => togglePanel('people'),
    'toggle-layout': () => setChosenLayout(layout === 'grid' ? 'speaker' : 'grid'),
    'open-devices': () => setDevicesOpen(true),
    'show-meeting-shortcuts': () => setHelp(true),
    'leave-meeting': () => void leave(),
    dismiss: () => {
      if (help) setHelp(false)
      else if (devicesOpen) setDevicesOpen(false)
      else if (inviteOpen) setInviteOpen(false)
      else setPanel(null)
    }
  }
  const run = (command: MeetingCommand) => commands[command]()
  useMeetingCommands(run)

  const self = state.room.self
  const moderationControl: ModerationControl | null =
    self.isCreator || self.isCoHost
      ? { isHost: self.isCreator, locked: state.room.locked, act: (action) => void moderation.moderate(action) }
      : null

  const alone = state.members.length === 0 && !aloneDismissed && !inviteOpen
  const people = state.members.length + 1

  return (
    <div className="meeting" data-testid="meeting" data-room-id={room.roomId}>
      <MeetingHeader
        title={state.room.title}
        joinedAt={room.joinedAt}
        people={people}
        recorders={state.room.recorders}
        locked={state.room.locked}
        selfId={session.selfId}
        recording={recording}
        screenOn={local.screenOn}
        onStopSharing={() => void session.toggleScreen()}
        invite={state.room.invite}
        inviteCode={state.room.inviteCode}
        inviteOpen={inviteOpen}
        onInviteOpenChange={setInviteOpen}
      />

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
          {moderated.askedToUnmuteBy && local.micMuted && (
            <AskUnmuteCard by={moderated.askedToUnmuteBy.displayName} onAnswer={(unmute) => moderation.answerUnmute(unmute)} />
          )}
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
              <InviteBox invite={state.room.invite} code={state.room.inviteCode} />
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
            moderation={moderationControl}
            locked={state.room.locked}
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
        onReact={(emoji) => session.react(emoji)}
        run={run}
      />

      <div className="remote-audio" aria-hidden="true">
        {[...state.peers.values()].map(
          (p) => p.camera && <RemoteAudio key={p.id} peerId={p.id} stream={p.camera} speakerId={local.devices.speakerId} />
        )}
      </div>
      {help && <ShortcutsDialog open onClose={() => setHelp(false)} section={MEETING_KEYS_SECTION} testId="shortcuts-help" />}
      {devicesOpen && <DevicesDialog media={media} onClose={() => setDevicesOpen(false)} />}
    </div>
  )
}
