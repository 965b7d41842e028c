import { useEffect, useRef } from 'react'

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }

/** Plays one member's sound on the chosen speaker. Kept outside the tiles: audio is never paged away. */
export function RemoteAudio({ stream, speakerId, peerId }: { stream: MediaStream; speakerId?: string; peerId: string }) {
  const ref = useRef<SinkAudio>(null)
  useEffect(() => {
    const audio = ref.current
    if (!audio) return
    if (audio.srcObject !== stream) audio.srcObject = stream
    void audio.play().catch(() => undefined)
  }, [stream])
  useEffect(() => {
    const audio = ref.current
    if (audio?.setSinkId && speakerId) void audio.setSinkId(speakerId).catch(() => undefined)
  }, [speakerId])
  return <audio ref={ref} autoPlay data-testid="remote-audio" data-peer-id={peerId} />
}
