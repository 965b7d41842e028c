import { useCallback, useEffect, useRef, useState } from 'react'

export type ScreenShareState =
  | { state: 'idle' }
  | { state: 'choosing' }
  | { state: 'sharing'; stream: MediaStream; label: string; withAudio: boolean }
  | { state: 'failed'; message: string }

/**
 * Screen sharing for the call UI, the same in both hosts: `start()` calls getDisplayMedia (the
 * desktop app shows our picker, a browser its own), `stop()` ends every track. The state says
 * what the "you are sharing" indicator shows; it returns to idle by itself when the user ends
 * the share from the OS (the track's `ended` event). Cancelling the picker is not an error.
 */
export function useScreenShare(): { share: ScreenShareState; start: (options?: { audio?: boolean }) => Promise<MediaStream | null>; stop: () => void } {
  const [share, setShare] = useState<ScreenShareState>({ state: 'idle' })
  const streamRef = useRef<MediaStream | null>(null)

  const stop = useCallback(() => {
    const stream = streamRef.current
    streamRef.current = null
    stream?.getTracks().forEach((t) => t.stop())
    setShare({ state: 'idle' })
  }, [])

  const start = useCallback(
    async (options: { audio?: boolean } = {}) => {
      if (streamRef.current) return streamRef.current
      setShare({ state: 'choosing' })
      try {
        const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: options.audio ?? true })
        streamRef.current = stream
        const video = stream.getVideoTracks()[0]
        video?.addEventListener('ended', () => {
          if (streamRef.current === stream) stop()
        })
        setShare({ state: 'sharing', stream, label: video?.label ?? 'Screen', withAudio: stream.getAudioTracks().length > 0 })
        return stream
      } catch (err) {
        const name = err instanceof DOMException ? err.name : ''
        // NotAllowedError: the user cancelled the picker (or the OS refused): back to idle.
        if (name === 'NotAllowedError' || name === 'AbortError') setShare({ state: 'idle' })
        else setShare({ state: 'failed', message: err instanceof Error ? err.message : String(err) })
        return null
      }
    },
    [stop]
  )

  useEffect(() => () => streamRef.current?.getTracks().forEach((t) => t.stop()), [])
  return { share, start, stop }
}
