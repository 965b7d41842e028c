import { z } from 'zod'
import { method, Ok } from './define'
import { PersonView } from './people'
import { PeerIdText, RoomId } from './rooms'

/**
 * Files in chat: a member offers a file to everyone in the meeting; it goes straight to each of
 * them over their own connection (`/dym/file/1.0.0` between the cores), and each receiver
 * accepts before anything is written. The sender's page streams the file to its core in bounded
 * binary chunks (`file.chunk`, one transfer at a time per receiver); the receiver's core writes
 * it to the downloads folder. Nothing is kept anywhere else, and people who join later get nothing.
 */

export const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
/** Biggest piece of a file one `file.chunk` carries. */
export const FILE_CHUNK_MAX_BYTES = 1024 * 1024

export const TransferId = z.string().regex(/^[0-9a-f-]{36}$/, 'a transfer id is a UUID')

export const TransferState = z.enum(['offered', 'active', 'done', 'declined', 'cancelled', 'failed'])
export type TransferState = z.infer<typeof TransferState>

/** One file going to or coming from one member; sent as `file.transfer` on every change. */
export const FileTransfer = z.object({
  transferId: TransferId,
  roomId: RoomId,
  direction: z.enum(['in', 'out']),
  /** the other member */
  peer: PersonView,
  /** for `in`: the name as it will be saved (cleaned of path and display tricks) */
  name: z.string().min(1).max(255),
  size: z.number().int().positive().max(MAX_FILE_BYTES),
  /** bytes sent or received (and written) so far */
  bytes: z.number().int().nonnegative(),
  state: TransferState,
  /** done and `in`: the file's name in the downloads folder */
  savedAs: z.string().max(255).optional(),
  /** done and `in`, when the folder is one chosen in Settings: its path (else: the Downloads folder) */
  savedIn: z.string().max(1024).optional(),
  /** done: the SHA-256 both sides agree on, hex */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** declined, cancelled, failed: why, in words for the person */
  reason: z.string().max(300).optional()
})
export type FileTransfer = z.infer<typeof FileTransfer>

const Chunk = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes must be binary')
  .refine((v) => v.byteLength > 0 && v.byteLength <= FILE_CHUNK_MAX_BYTES, `a chunk is 1..${FILE_CHUNK_MAX_BYTES} bytes`)

export const fileMethods = {
  /** Offer a file to every member in the meeting now: one transfer per member, `offered` until they answer. */
  'file.offer': method(
    z.object({
      roomId: RoomId,
      name: z.string().trim().min(1).max(1024),
      size: z.number().int().positive().max(MAX_FILE_BYTES),
      mime: z.string().max(200).optional(),
      /** only these members (default: everyone in the meeting now) */
      to: z.array(PeerIdText).max(100).optional()
    }),
    z.object({ transfers: z.array(FileTransfer).max(100) })
  ),
  /**
   * The next piece of an `active` outgoing transfer: `offset` is the number of bytes sent so far
   * (no gaps, no overlaps, never past the offered size). Resolves once the piece is on its way.
   */
  'file.chunk': method(
    z.object({ transferId: TransferId, offset: z.number().int().nonnegative().max(MAX_FILE_BYTES), bytes: Chunk }),
    z.object({ bytes: z.number().int().nonnegative() }),
    { maxBytes: FILE_CHUNK_MAX_BYTES + 4096 }
  ),
  /** Accept an offered incoming file: it is written to the downloads folder as it arrives. */
  'file.accept': method(z.object({ transferId: TransferId }), Ok),
  /** Decline an offer, or cancel a transfer either way: the other side is told, a partial file removed. */
  'file.cancel': method(z.object({ transferId: TransferId }), Ok)
}

export const fileEvents = {
  'file.transfer': FileTransfer
}
