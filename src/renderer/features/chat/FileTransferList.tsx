import { useSyncExternalStore } from 'react'
import type { FileTransfer } from '../../../shared/contract/index'
import type { FileTransferStore } from './file-transfers'

const units = ['B', 'KB', 'MB', 'GB']
export function formatBytes(n: number): string {
  let value = n
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

function statusOf(t: FileTransfer): string {
  const who = t.peer.displayName
  switch (t.state) {
    case 'offered':
      return t.direction === 'in' ? `${who} wants to send you this file` : `Waiting for ${who} to accept`
    case 'active':
      return `${t.direction === 'in' ? 'Receiving' : 'Sending'}: ${formatBytes(t.bytes)} of ${formatBytes(t.size)}`
    case 'done':
      if (t.direction === 'out') return `${who} has it (SHA-256 checked)`
      return `Saved to ${t.savedIn ?? 'Downloads'} as ${t.savedAs ?? t.name} (SHA-256 checked)`
    default:
      return t.reason ?? t.state
  }
}

/** Files offered in this meeting, each with its progress and what can be done with it. */
export function FileTransferList({ store }: { store: FileTransferStore }) {
  const { transfers, error } = useSyncExternalStore(store.subscribe, store.getSnapshot)
  if (transfers.length === 0 && !error) return null
  return (
    <div className="chat-files">
      {transfers.length > 0 && (
        <ul className="chat-files-list" aria-label="Files">
          {transfers.map((t) => {
            const percent = Math.floor((t.bytes / t.size) * 100)
            return (
              <li
                key={t.transferId}
                className={`chat-file chat-file--${t.state}`}
                data-testid="file-transfer"
                data-direction={t.direction}
                data-state={t.state}
                data-peer={t.peer.peerId}
                data-bytes={t.bytes}
              >
                <div className="chat-file-head">
                  <span className="chat-file-name" title={t.name}>
                    {t.name}
                  </span>
                  <span className="chat-file-size">{formatBytes(t.size)}</span>
                </div>
                <span className="chat-file-peer">{t.direction === 'in' ? `from ${t.peer.displayName}` : `to ${t.peer.displayName}`}</span>
                {(t.state === 'active' || t.state === 'done') && (
                  <progress className="chat-file-progress" max={100} value={percent} aria-label={`${t.name}: ${percent}%`} />
                )}
                <span className="chat-file-status" data-testid="file-status" aria-live="polite">
                  {statusOf(t)}
                </span>
                <div className="chat-file-actions">
                  {t.direction === 'in' && t.state === 'offered' && (
                    <button
                      type="button"
                      className="btn btn--primary btn--small"
                      onClick={() => void store.accept(t.transferId)}
                      data-testid="file-accept"
                    >
                      Accept
                    </button>
                  )}
                  {(t.state === 'offered' || t.state === 'active') && (
                    <button
                      type="button"
                      className="btn btn--small"
                      onClick={() => void store.cancel(t.transferId)}
                      data-testid="file-cancel"
                    >
                      {t.direction === 'in' && t.state === 'offered' ? 'Decline' : 'Cancel'}
                    </button>
                  )}
                </div>
              </li>
            )
          })}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="file-error">
          {error}
        </p>
      )}
    </div>
  )
}
