import './media.css'
import { useEffect, useRef } from 'react'

/**
 * A <video> showing a MediaStream. Always muted: sound plays through separate audio elements,
 * so hiding or paging a tile never silences anyone.
 */
export function VideoView({
  stream,
  mirrored = false,
  className,
  testId,
  label,
  fit = 'cover'
}: {
  stream: MediaStream
  mirrored?: boolean
  className?: string
  testId?: string
  label?: string
  fit?: 'cover' | 'contain'
}) {
  const ref = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    const video = ref.current
    if (!video) return
    if (video.srcObject !== stream) video.srcObject = stream
    void video.play().catch(() => undefined)
  }, [stream])
  return (
    <video
      ref={ref}
      className={`video-view ${mirrored ? 'video-view--mirrored' : ''} video-view--${fit} ${className ?? ''}`}
      autoPlay
      playsInline
      muted
      data-testid={testId}
      aria-label={label}
    />
  )
}
