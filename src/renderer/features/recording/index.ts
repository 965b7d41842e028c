/**
 * Recording in the renderer. Per person from encoded frames where the browser can
 * (TrackRecorder: each member's own track, as it arrives), else the compositor (MeetingRecorder:
 * everyone drawn into one picture). The call UI creates one per recording, feeds it with
 * setSources() whenever the meeting changes, and calls start()/stop().
 */
export {
  MeetingRecorder,
  exposeRecorderForDiagnostics,
  type MeetingRecorderOptions,
  type RecorderPhase,
  type RecorderStatus
} from './meeting-recorder'
export { MeetingCompositor, type CompositorOptions, type CompositorSource } from './compositor'
export { useRecorderStatus, type RecorderView } from './use-recorder-status'
export { TrackRecorder, type OwnSenders, type TrackFeed, type TrackSource } from './tracks/track-recorder'
export { canTapEncodedFrames, frameTap } from './tracks/frame-tap'
export { useConsentPrompts } from './consent-prompts'
