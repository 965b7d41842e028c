import { useEffect, useState } from 'react'

/**
 * Microphone level from a Web Audio analyser: the RMS of the last few ms of samples, mapped to
 * 0..1 on a rough loudness curve so speech fills the meter and silence stays at the bottom.
 */
export class LevelMeter {
  private readonly context = new AudioContext()
  private readonly analyser: AnalyserNode
  private readonly samples: Float32Array<ArrayBuffer>

  constructor(track: MediaStreamTrack) {
    const source = this.context.createMediaStreamSource(new MediaStream([track]))
    this.analyser = this.context.createAnalyser()
    this.analyser.fftSize = 1024
    this.samples = new Float32Array(this.analyser.fftSize)
    source.connect(this.analyser)
    void this.context.resume().catch(() => undefined)
  }

  read(): number {
    this.analyser.getFloatTimeDomainData(this.samples)
    let sum = 0
    for (const s of this.samples) sum += s * s
    const rms = Math.sqrt(sum / this.samples.length)
    if (rms <= 0) return 0
    const db = 20 * Math.log10(rms)
    return Math.max(0, Math.min(1, (db + 60) / 50))
  }

  close(): void {
    void this.context.close().catch(() => undefined)
  }
}

/** The live level of a microphone track (0..1), about 15 times a second; 0 when muted or absent. */
export function useAudioLevel(track: MediaStreamTrack | null, active = true): number {
  const [level, setLevel] = useState(0)
  useEffect(() => {
    if (!track || !active) return
    const meter = new LevelMeter(track)
    const timer = setInterval(() => setLevel(track.enabled ? meter.read() : 0), 66)
    return () => {
      clearInterval(timer)
      meter.close()
    }
  }, [track, active])
  return track && active ? level : 0
}
