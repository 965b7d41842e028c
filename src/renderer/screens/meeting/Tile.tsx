import { memo } from 'react'
import type { Verification } from '../../../shared/contract/index'
import { CheckShieldIcon, HandIcon, MicOffIcon, PinIcon, RelayIcon, UserIcon, WarningIcon } from '../../features/icons/icons'
import type { LinkStats } from '../../features/call/model'
import { VideoView } from '../../features/media/VideoView'
import type { TileModel } from './tiles'

const QUALITY_WORDS = ['no connection', 'poor', 'fair', 'good', 'excellent'] as const

export function VerificationBadge({ verification, warning, testId }: { verification: Verification; warning?: string; testId?: string }) {
  if (verification === 'verified')
    return (
      <span className="badge badge--verified" data-testid={testId} data-verification="verified" title="3Bot identity verified">
        <CheckShieldIcon size={12} /> Verified
      </span>
    )
  if (verification === 'warning')
    return (
      <span
        className="badge badge--warning"
        data-testid={testId}
        data-verification="warning"
        title={warning ?? 'This identity could not be confirmed'}
      >
        <WarningIcon size={12} /> Check identity
      </span>
    )
  return (
    <span className="badge badge--guest" data-testid={testId} data-verification="guest" title="Guest: not a verified 3Bot identity">
      Guest
    </span>
  )
}

function QualityBars({ stats }: { stats: LinkStats | null }) {
  const q = stats?.quality ?? 0
  const detail = stats
    ? [
        stats.rttMs !== null ? `${stats.rttMs} ms` : null,
        stats.lossPct !== null ? `${stats.lossPct}% loss` : null,
        stats.inKbps !== null ? `${stats.inKbps} kbps` : null
      ]
        .filter(Boolean)
        .join(', ')
    : 'measuring'
  const label = `Connection ${QUALITY_WORDS[q]} (${detail})`
  return (
    <span className={`quality quality--${q}`} role="img" aria-label={label} title={label} data-testid="tile-quality" data-quality={q}>
      {[1, 2, 3, 4].map((b) => (
        <span key={b} className={b <= q ? 'bar bar--on' : 'bar'} style={{ height: `${b * 25}%` }} />
      ))}
    </span>
  )
}

function initials(name: string): string {
  const parts = name
    .replace(/\.3bot$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean)
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase()
}

/** A hue per person, so avatars are told apart at a glance. */
function hue(id: string): number {
  let h = 0
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360
  return h
}

export interface TileProps {
  tile: TileModel<MediaStream>
  pinned: boolean
  onPin: (key: string | null) => void
  onRetry: (peerId: string) => void
  reactions: readonly string[]
  compact?: boolean
}

/** Tiles are rebuilt on every meeting update; re-render one only when what it shows changed. */
function sameTile(a: TileProps, b: TileProps): boolean {
  if (a.pinned !== b.pinned || a.compact !== b.compact || a.reactions !== b.reactions || a.onPin !== b.onPin || a.onRetry !== b.onRetry)
    return false
  const x = a.tile
  const y = b.tile
  return (Object.keys(x) as Array<keyof typeof x>).every((k) => x[k] === y[k])
}

/** One person's camera (or shared screen): video or avatar, name and badge, mute, connection. */
export const Tile = memo(function Tile({ tile, pinned, onPin, onRetry, reactions, compact = false }: TileProps) {
  const name = tile.self ? `${tile.person.displayName} (you)` : tile.person.displayName
  const label = tile.role === 'screen' ? `${tile.self ? 'Your' : `${tile.person.displayName}'s`} screen` : name
  const connecting = tile.state === 'connecting' || tile.state === 'reconnecting'
  return (
    <div
      className={`tile ${tile.speaking ? 'tile--speaking' : ''} ${tile.role === 'screen' ? 'tile--screen' : ''} ${compact ? 'tile--compact' : ''}`}
      role="group"
      aria-label={label}
      data-testid="tile"
      data-peer-id={tile.peerId}
      data-role={tile.role}
      data-self={tile.self ? 'true' : undefined}
      data-state={tile.state}
      data-frames-decoded={tile.role === 'screen' ? tile.stats?.screenFramesDecoded : tile.stats?.framesDecoded}
      data-audio-energy={tile.role === 'camera' ? tile.stats?.audioEnergy : undefined}
      data-route={tile.route ?? undefined}
      data-camera-off={tile.cameraOff ? 'true' : undefined}
      data-video={tile.stream && tile.showVideo ? 'shown' : 'hidden'}
    >
      {/* The video stays mounted while its stream lives: hiding it never restarts playback. */}
      {tile.stream && (
        <VideoView
          stream={tile.stream}
          mirrored={tile.self && tile.role === 'camera'}
          fit={tile.role === 'screen' ? 'contain' : 'cover'}
          testId="tile-video"
          className={tile.showVideo ? undefined : 'video-view--hidden'}
        />
      )}
      {!(tile.stream && tile.showVideo) && (
        <div className="tile-avatar" style={{ ['--hue' as string]: hue(tile.peerId) }}>
          <span className="avatar-circle" aria-hidden="true">
            {initials(tile.person.displayName) || <UserIcon />}
          </span>
          {tile.cameraOff && !compact && <span className="tile-avatar-note">Camera off</span>}
        </div>
      )}

      {tile.handRaised && (
        <span className="tile-hand" role="img" aria-label="Hand raised" data-testid="tile-hand">
          <HandIcon size={16} />
        </span>
      )}

      <button
        type="button"
        className={pinned ? 'tile-pin tile-pin--on' : 'tile-pin'}
        aria-pressed={pinned}
        aria-label={pinned ? `Unpin ${label}` : `Pin ${label}`}
        onClick={() => onPin(pinned ? null : tile.key)}
        data-testid="tile-pin"
      >
        <PinIcon size={15} />
      </button>

      {reactions.length > 0 && (
        <div className="tile-reactions" aria-hidden="true">
          {reactions.map((emoji, i) => (
            <span key={i} className="tile-reaction" data-testid="tile-reaction">
              {emoji}
            </span>
          ))}
        </div>
      )}

      {!tile.self && tile.state !== 'connected' && (
        <div
          className={`tile-state tile-state--${tile.state}`}
          data-testid={tile.state === 'unreachable' ? 'tile-unreachable' : 'tile-connecting'}
        >
          {connecting && <span className="spinner" aria-hidden="true" />}
          <span>
            {tile.state === 'unreachable'
              ? `Cannot reach ${tile.person.displayName}`
              : tile.state === 'reconnecting'
                ? 'Reconnecting…'
                : 'Connecting…'}
          </span>
          {tile.state === 'unreachable' && (
            <>
              <span className="tile-state-hint">A firewall may be in the way. A TURN server in Settings can help.</span>
              <button type="button" className="btn btn--small" onClick={() => onRetry(tile.peerId)} data-testid="tile-retry">
                Try again
              </button>
            </>
          )}
        </div>
      )}

      <div className="tile-footer">
        <span className="tile-name-row">
          {tile.muted && tile.role === 'camera' && (
            <span className="tile-muted" role="img" aria-label="Microphone muted" data-testid="tile-muted">
              <MicOffIcon size={14} />
            </span>
          )}
          <span className="tile-name" data-testid="tile-name">
            {tile.role === 'screen' ? label : name}
          </span>
          {!compact && tile.role === 'camera' && (
            <VerificationBadge verification={tile.person.verification} warning={tile.person.warning} testId="tile-badge" />
          )}
        </span>
        {!tile.self && tile.role === 'camera' && (
          <span className="tile-net">
            {tile.route && (
              <span
                className={`tile-route tile-route--${tile.route}`}
                data-testid="tile-route"
                data-route={tile.route}
                title={
                  tile.route === 'relayed'
                    ? `Media goes through the relay${tile.stats?.relay ? ` ${tile.stats.relay}` : ''}: it sees only encrypted media`
                    : 'Media goes straight between you'
                }
              >
                {tile.route === 'relayed' && <RelayIcon size={12} />}
                {tile.route === 'relayed' ? 'Relayed' : 'Direct'}
              </span>
            )}
            {tile.route === 'relayed' && tile.stats?.relay && (
              <span className="tile-route-via" data-testid="tile-route-via">
                via {tile.stats.relay}
              </span>
            )}
            <QualityBars stats={tile.stats} />
          </span>
        )}
      </div>
    </div>
  )
}, sameTile)
