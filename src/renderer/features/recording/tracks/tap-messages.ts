/** Messages between the page and the recording worker (tap-worker.ts). */
export type ToTapWorker =
  /** start copying a tapped receiver's frames into a track (`t0`: the recording's start, ms since epoch) */
  | { t: 'record'; tapId: number; track: number; t0: number }
  /** stop copying a tapped sender's frames (the track goes on from another feed) */
  | { t: 'unrecord'; tapId: number }
  /** ask the encoder at the far end of a tapped receiver for a key frame (a member records what it sends us) */
  | { t: 'key-request'; tapId: number }
  /** encode one of our own tracks (a MediaStreamTrackProcessor's frames) into a track */
  | { t: 'encode'; key: string; track: number; kind: 'video' | 'audio'; t0: number; frames: ReadableStream<VideoFrame | AudioData> }
  /** stop encoding one of our own tracks (it ended or was replaced) */
  | { t: 'stop-encode'; key: string }
  /** the recording ends: stop copying, finish encoding, send the last batch, then answer `ended` */
  | { t: 'end'; id: number }

export type FromTapWorker =
  /** a batch of frames in the binary form of recording-frames.ts */
  | { t: 'batch'; bytes: Uint8Array }
  /** answers `end` once the last batch is sent, with the frames taken per track (for the logs) */
  | { t: 'ended'; id: number; frames: Record<number, number> }
  /** a tapped sender gave no key frame in time: the page records that track some other way */
  | { t: 'no-key'; tapId: number; track: number }
  /** something went wrong with one track (an encoder failed); the others go on */
  | { t: 'problem'; message: string }
