/**
 * Recording in the renderer. The call UI creates one MeetingRecorder per meeting, feeds it the
 * participants' MediaStreams with setSources() whenever they change, and calls start()/stop().
 */
export {
  MeetingRecorder,
  exposeRecorderForDiagnostics,
  type MeetingRecorderOptions,
  type RecorderPhase,
  type RecorderStatus
} from './meeting-recorder'
export { MeetingCompositor, type CompositorOptions, type CompositorSource } from './compositor'
export { useRecorderStatus } from './use-recorder-status'
