import {
  CameraIcon,
  CameraOffIcon,
  ChatIcon,
  GridIcon,
  HandIcon,
  KeyboardIcon,
  LeaveIcon,
  MicIcon,
  MicOffIcon,
  PeopleIcon,
  RecordIcon,
  ScreenIcon,
  SettingsIcon,
  SpeakerViewIcon
} from '../../features/icons/icons'
import { ControlButton } from './ControlButton'
import { keyFor, type MeetingCommand } from './meeting-commands'
import { ReactionsButton } from './ReactionsButton'
import type { LayoutMode } from './Stage'

export interface ControlBarProps {
  micMuted: boolean
  cameraOn: boolean
  screenOn: boolean
  handRaised: boolean
  panel: 'chat' | 'people' | null
  unread: number
  layout: LayoutMode
  recording: boolean
  /** wired by the recorder; without it the button explains why it is not available */
  onRecord?: () => void
  onReact: (emoji: string) => void
  /** the meeting's command table: the same commands its keys and the menu run */
  run: (command: MeetingCommand) => void
}

/** The meeting's controls; every one labelled, with its shortcut. */
export function ControlBar(p: ControlBarProps) {
  const button = (command: MeetingCommand) => ({ shortcut: keyFor(command), onClick: () => p.run(command) })
  return (
    <div className="controlbar" role="toolbar" aria-label="Meeting controls">
      <div className="controlbar-group">
        <ControlButton
          label={p.micMuted ? 'Unmute microphone' : 'Mute microphone'}
          {...button('toggle-mute')}
          active={p.micMuted}
          danger={p.micMuted}
          pressed={p.micMuted}
          testId="control-mic"
        >
          {p.micMuted ? <MicOffIcon /> : <MicIcon />}
        </ControlButton>
        <ControlButton
          label={p.cameraOn ? 'Turn camera off' : 'Turn camera on'}
          {...button('toggle-camera')}
          active={!p.cameraOn}
          danger={!p.cameraOn}
          pressed={!p.cameraOn}
          testId="control-camera"
        >
          {p.cameraOn ? <CameraIcon /> : <CameraOffIcon />}
        </ControlButton>
        <ControlButton
          label={p.screenOn ? 'Stop sharing your screen' : 'Share your screen'}
          {...button('share-screen')}
          active={p.screenOn}
          pressed={p.screenOn}
          testId="control-screen"
        >
          <ScreenIcon />
        </ControlButton>
        <ControlButton
          label={p.handRaised ? 'Lower your hand' : 'Raise your hand'}
          {...button('raise-hand')}
          active={p.handRaised}
          pressed={p.handRaised}
          testId="control-hand"
        >
          <HandIcon />
        </ControlButton>
        <ReactionsButton onReact={p.onReact} />
        <ControlButton
          label={p.recording ? 'Stop recording' : 'Record this meeting'}
          active={p.recording}
          danger={p.recording}
          pressed={p.onRecord ? p.recording : undefined}
          testId="control-record"
          onClick={p.onRecord}
          disabledReason={p.onRecord ? undefined : 'Recording is not available in this build yet'}
        >
          <RecordIcon />
        </ControlButton>
        <button
          type="button"
          className="control control--leave"
          onClick={() => p.run('leave-meeting')}
          data-testid="control-leave"
          aria-label="Leave the meeting"
        >
          <LeaveIcon />
          <span>Leave</span>
        </button>
      </div>
      <div className="controlbar-group controlbar-group--side">
        <ControlButton
          label={p.panel === 'chat' ? 'Close chat' : 'Open chat'}
          {...button('toggle-chat')}
          active={p.panel === 'chat'}
          pressed={p.panel === 'chat'}
          testId="control-chat"
          badge={p.panel === 'chat' ? 0 : p.unread}
        >
          <ChatIcon />
        </ControlButton>
        <ControlButton
          label={p.panel === 'people' ? 'Close participants' : 'Show participants'}
          {...button('toggle-people')}
          active={p.panel === 'people'}
          pressed={p.panel === 'people'}
          testId="control-participants"
        >
          <PeopleIcon />
        </ControlButton>
        <ControlButton
          label={p.layout === 'grid' ? 'Switch to speaker view' : 'Switch to grid view'}
          {...button('toggle-layout')}
          testId="control-layout"
        >
          {p.layout === 'grid' ? <SpeakerViewIcon /> : <GridIcon />}
        </ControlButton>
        <ControlButton label="Camera, microphone and speaker" {...button('open-devices')} testId="control-devices">
          <SettingsIcon />
        </ControlButton>
        <ControlButton label="Keyboard shortcuts" {...button('show-meeting-shortcuts')} testId="control-help">
          <KeyboardIcon />
        </ControlButton>
      </div>
    </div>
  )
}
