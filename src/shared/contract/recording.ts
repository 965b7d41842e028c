import { z } from 'zod'
import { method, NoParams, Ok } from './define'

/**
 * Recording, two ways (the `path` of a recording):
 * - `tracks`: the page taps every person's encoded frames (the call's own VP8/Opus, never
 *   re-encoded), opens a track per person and kind (`recording.track`) and sends the frames in
 *   binary batches (`recording.frames`, see src/shared/recording-frames.ts); the core writes each
 *   track to its own file as it arrives and merges them into one Matroska file at the end.
 * - `composed` (where the browser cannot tap frames): the renderer composes the meeting (canvas +
 *   Web Audio), MediaRecorder cuts it into 1-second WebM slices (`recording.chunk`), and one
 *   ffmpeg child copies them into a Matroska file.
 */

/** Biggest slice one `recording.chunk` carries; the renderer splits anything larger. */
export const RECORDING_CHUNK_MAX_BYTES = 4 * 1024 * 1024

/** A recording's file name inside the recordings folder: no folders, no hidden files. */
export const RecordingFileName = z
  .string()
  .min(5)
  .max(255)
  .regex(/^[^/\\\0]+\.mkv$/, 'a recording is a .mkv file name')
  .refine((name) => !name.startsWith('.'), 'a recording name cannot start with a dot')

export const RecordingId = z.string().regex(/^[0-9a-f-]{36}$/, 'a recording id is a UUID')
export const PlayId = z.string().regex(/^[0-9a-f-]{36}$/, 'a player id is a UUID')
/** The most one recording.play-read answers. */
export const PLAY_READ_MAX_BYTES = 4 * 1024 * 1024
export const ExportId = z.string().regex(/^[0-9a-f-]{36}$/, 'an export id is a UUID')

/** Someone in the recording, as the call UI names them (3Bot name or guest display name). */
export const RecordingParticipant = z.object({
  id: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(64)
})
export type RecordingParticipant = z.infer<typeof RecordingParticipant>

export const RecordingPath = z.enum(['tracks', 'composed'])
export type RecordingPath = z.infer<typeof RecordingPath>

export const RecordingPhase = z.enum(['recording', 'finalising', 'stopped', 'failed'])
export type RecordingPhase = z.infer<typeof RecordingPhase>

/** The live recording as the core sees it; sent as `recording.state` on every change. */
/** A member's answer to a recording of the meeting. */
export const ConsentAnswer = z.enum(['agree', 'refuse'])
export type ConsentAnswer = z.infer<typeof ConsentAnswer>

const PeerIdText = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'a peer id')
/** A recording's consent id: 16 random bytes, base64url. */
export const ConsentId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a consent id')

/**
 * A member's signed answer to a recording (consent/consent-ack.ts): made by their core with
 * their device key, carried to everyone in the meeting as a notice, kept by the recorder in the
 * file's consent log. `presentation` is what vouches for the key (their 3Bot credential, or a
 * guest's name), as in the room handshake.
 */
export const ConsentAck = z
  .object({
    recording: ConsentId,
    recorder: PeerIdText,
    by: PeerIdText,
    name: z.string().max(64),
    presentation: z.unknown(),
    answer: ConsentAnswer,
    at: z.number().int().nonnegative(),
    sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature, base64url')
  })
  .strict()
  .refine((a) => (JSON.stringify(a.presentation ?? null) ?? '').length <= 8192, 'the presentation is at most 8 KiB')
export type ConsentAck = z.infer<typeof ConsentAck>

export const RecordingState = z.object({
  recordingId: RecordingId,
  name: RecordingFileName,
  title: z.string().max(120),
  phase: RecordingPhase,
  path: RecordingPath,
  /** ms since epoch */
  startedAt: z.number().int(),
  /** bytes handed to ffmpeg so far */
  bytesReceived: z.number().int().nonnegative(),
  /** every name that has been in the recording so far, in order of arrival */
  participants: z.array(z.string().max(64)).max(500),
  /** for phase "failed": what went wrong, in words for the user */
  error: z.string().max(500).optional(),
  /** a tracks recording's consent id: members answer it (recording.consent-answer) */
  consent: z.object({ id: ConsentId, recorder: PeerIdText }).optional()
})
export type RecordingState = z.infer<typeof RecordingState>

/** One file of the recordings folder, as the recordings screen lists it. */
export const RecordingEntry = z.object({
  name: RecordingFileName,
  title: z.string().max(200),
  /** when the recording started (from its metadata), else the file's time; ms since epoch */
  startedAt: z.number().int(),
  /** null while unknown (still recording, or a file ffmpeg cannot read) */
  durationSec: z.number().nonnegative().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  participants: z.array(z.string().max(64)).max(500),
  width: z.number().int().nonnegative().nullable(),
  height: z.number().int().nonnegative().nullable(),
  hasAudio: z.boolean(),
  /** recording: being written now; recovered: finished after the app stopped unexpectedly */
  status: z.enum(['ready', 'recording', 'recovered', 'unreadable']),
  /** how it was recorded (from its tags); null for files that do not say */
  path: RecordingPath.nullable(),
  /** the tracks of the file, in order: per person a camera, a microphone, maybe a screen */
  tracks: z
    .array(
      z.object({
        index: z.number().int().nonnegative(),
        kind: z.enum(['video', 'audio']),
        title: z.string().max(100),
        /** whose track (their peer id) and what it is, in recordings that say */
        person: z.string().max(100).optional(),
        role: z.enum(['camera', 'screen']).optional()
      })
    )
    .max(200),
  /** exports of this recording found next to it (MP4s, and a WebM per person) */
  exports: z.array(z.string().max(255)).max(20)
})
export type RecordingEntry = z.infer<typeof RecordingEntry>

export const FfmpegStatus = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    path: z.string().max(4096),
    version: z.string().max(200),
    /** where it was found: setting, DYM_FFMPEG, ffmpeg-static, @ffmpeg-installer/ffmpeg, PATH */
    source: z.string().max(100),
    /** false when this build cannot encode H.264/AAC (recording works, MP4 export does not) */
    canExport: z.boolean(),
    hasFfprobe: z.boolean()
  }),
  z.object({ available: z.literal(false), problem: z.string().max(2000) })
])
export type FfmpegStatus = z.infer<typeof FfmpegStatus>

export const RecorderInfo = z.object({
  folder: z.string().max(4096),
  /** where recordings go when the setting is empty (the settings screen shows it as the placeholder) */
  defaultFolder: z.string().max(4096).optional(),
  ffmpeg: FfmpegStatus,
  active: RecordingState.nullable()
})
export type RecorderInfo = z.infer<typeof RecorderInfo>

/**
 * What an export makes: `composed`, one MP4 of the meeting as people saw it (a tracks recording
 * laid out as a grid, names drawn, voices mixed); `people`, a WebM per person by copy.
 */
export const ExportKind = z.enum(['composed', 'people'])
export type ExportKind = z.infer<typeof ExportKind>

export const ExportProgress = z.object({
  exportId: ExportId,
  name: RecordingFileName,
  kind: ExportKind.default('composed'),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** 0..1 of the recording's duration encoded so far */
  fraction: z.number().min(0).max(1),
  /** encoding speed as a multiple of real time, as ffmpeg reports it */
  speed: z.number().nonnegative().nullable(),
  /** the (first) file's name once done */
  output: z.string().max(255).optional(),
  /** every file it made, once done (one per person for `people`) */
  outputs: z.array(z.string().max(255)).max(200).optional(),
  error: z.string().max(500).optional()
})
export type ExportProgress = z.infer<typeof ExportProgress>

/** The OS opened the file, or (headless host without a desktop) it could not and says where it is. */
export const OpenResult = z.object({ opened: z.boolean(), path: z.string().max(4096), message: z.string().max(300).optional() })

const Bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes must be binary')
  .refine((v) => v.byteLength > 0 && v.byteLength <= RECORDING_CHUNK_MAX_BYTES, `a chunk is 1..${RECORDING_CHUNK_MAX_BYTES} bytes`)

export const recordingMethods = {
  'recording.info': method(NoParams, RecorderInfo),
  /** Starts ffmpeg and answers the live state; fails with "unavailable" (what to install) when there is no ffmpeg. */
  'recording.start': method(
    z.object({
      title: z.string().trim().max(120).default(''),
      participants: z.array(RecordingParticipant).max(100).default([]),
      /** `tracks`: per-person tracks from encoded frames (recording.track + recording.frames); `composed`: recording.chunk */
      path: RecordingPath.default('composed'),
      /** what MediaRecorder produces; only WebM (Matroska) is accepted */
      mimeType: z
        .string()
        .max(100)
        .regex(/^video\/webm\b/, 'the recorder sends WebM')
        .default('video/webm;codecs=vp8,opus')
    }),
    RecordingState
  ),
  /** One MediaRecorder slice. seq starts at 0 and has no gaps; a repeated seq is ignored. Resolves once ffmpeg can take more. */
  'recording.chunk': method(
    z.object({ recordingId: RecordingId, seq: z.number().int().nonnegative().max(10_000_000), bytes: Bytes }),
    /** writtenMs: how much of the recording ffmpeg has written to disk so far (ms of media) */
    z.object({ seq: z.number().int(), bytesReceived: z.number().int(), writtenMs: z.number().int().nonnegative() }),
    { maxBytes: RECORDING_CHUNK_MAX_BYTES + 4096 }
  ),
  /** Opens one track of a `tracks` recording: a person's camera or screen video (VP8) or microphone (Opus). */
  'recording.track': method(
    z
      .object({
        recordingId: RecordingId,
        personId: z.string().min(1).max(100),
        personName: z.string().trim().min(1).max(64),
        role: z.enum(['camera', 'screen']),
        kind: z.enum(['video', 'audio']),
        codec: z.enum(['vp8', 'opus'])
      })
      .refine((t) => (t.kind === 'audio') === (t.codec === 'opus'), 'video is VP8, audio is Opus')
      .refine((t) => t.kind === 'video' || t.role === 'camera', 'a screen share has no audio track'),
    z.object({ track: z.number().int().positive() })
  ),
  /**
   * One batch of encoded frames of a `tracks` recording (binary, see recording-frames.ts). seq
   * starts at 0 and has no gaps; a repeated seq is ignored. Resolves once the frames are written.
   */
  'recording.frames': method(
    z.object({ recordingId: RecordingId, seq: z.number().int().nonnegative().max(10_000_000), bytes: Bytes }),
    /** writtenMs: the latest frame time on disk (ms of the meeting clock); dropped: frames that failed the checks */
    z.object({
      seq: z.number().int(),
      bytesReceived: z.number().int(),
      writtenMs: z.number().int().nonnegative(),
      dropped: z.number().int()
    }),
    { maxBytes: RECORDING_CHUNK_MAX_BYTES + 4096 }
  ),
  /**
   * Our answer to someone's recording of the meeting, signed by this device's key: send it to
   * the meeting as a `recording-consent` notice.
   */
  'recording.consent-answer': method(z.object({ recording: ConsentId, recorder: PeerIdText, answer: ConsentAnswer }), ConsentAck),
  /**
   * A member's answer to our recording, as it arrived (its signature is checked here). A
   * refusal: that person's tracks are refused and left out of the file.
   */
  'recording.consent': method(
    z.object({ recordingId: RecordingId, ack: z.unknown() }),
    z.object({ accepted: z.boolean(), answer: ConsentAnswer.optional(), reason: z.string().max(200).optional() }),
    { maxBytes: 24 * 1024 }
  ),
  /** Who is in the recording now; everyone ever present ends up in the file's metadata. */
  'recording.participants': method(z.object({ recordingId: RecordingId, participants: z.array(RecordingParticipant).max(100) }), Ok),
  /** Finalises the file (seekable, with duration and participants) and answers its entry. */
  'recording.stop': method(z.object({ recordingId: RecordingId }), RecordingEntry),
  'recording.list': method(NoParams, z.object({ folder: z.string().max(4096), recordings: z.array(RecordingEntry).max(10_000) })),
  /** A JPEG frame of the recording (cached), or null when it has no picture. */
  'recording.thumbnail': method(
    z.object({ name: RecordingFileName }),
    z.object({ jpeg: z.custom<Uint8Array>((v) => v instanceof Uint8Array) }).nullable()
  ),
  /** An export next to the recording, in the background (see ExportKind); follow it with recording.export-progress. */
  'recording.export': method(z.object({ name: RecordingFileName, kind: ExportKind.default('composed') }), z.object({ exportId: ExportId })),
  'recording.export-cancel': method(z.object({ exportId: ExportId }), Ok),
  /**
   * Opens a recording in the app's player: `person` (a track's `person`) plays that person's
   * picture and voice; null plays everyone: a composed recording itself, or a tracks
   * recording's "Export MP4" (none yet: "not-found"). Read it with recording.play-read.
   */
  'recording.play-open': method(
    z.object({ name: RecordingFileName, person: z.string().min(1).max(100).nullable() }),
    z.object({ playId: PlayId, sizeBytes: z.number().int().nonnegative(), mimeType: z.enum(['video/webm', 'video/mp4']) })
  ),
  /** A piece of an opened recording, at most PLAY_READ_MAX_BYTES; an empty piece past its end. */
  'recording.play-read': method(
    z.object({
      playId: PlayId,
      offset: z
        .number()
        .int()
        .nonnegative()
        .max(2 ** 45),
      length: z.number().int().positive().max(PLAY_READ_MAX_BYTES)
    }),
    z.object({ bytes: Bytes })
  ),
  /** newTitle becomes the file name after its date (the date prefix is kept); answers the renamed entry. */
  'recording.rename': method(z.object({ name: RecordingFileName, newTitle: z.string().trim().min(1).max(120) }), RecordingEntry),
  /** Deletes the file (to the OS trash where the host has one); `confirm` is the user's explicit yes. */
  'recording.delete': method(z.object({ name: RecordingFileName, confirm: z.literal(true) }), z.object({ trashed: z.boolean() })),
  'recording.open': method(z.object({ name: RecordingFileName }), OpenResult),
  'recording.reveal': method(z.object({ name: RecordingFileName }), OpenResult)
}

export const recordingEvents = {
  'recording.state': RecordingState,
  'recording.export-progress': ExportProgress,
  /** The recordings folder changed (a recording finished, was recovered, renamed, deleted or exported). */
  'recording.list-changed': z.object({ reason: z.string().max(100) })
}
