import { useEffect, useState } from 'react'

export interface DeviceOption {
  id: string
  label: string
}

export interface DeviceLists {
  mics: DeviceOption[]
  cameras: DeviceOption[]
  speakers: DeviceOption[]
}

const EMPTY: DeviceLists = { mics: [], cameras: [], speakers: [] }

/** Devices by kind, with readable names even before a label is known. */
export async function listDevices(): Promise<DeviceLists> {
  if (!navigator.mediaDevices?.enumerateDevices) return EMPTY
  const all = await navigator.mediaDevices.enumerateDevices()
  const pick = (kind: MediaDeviceKind, noun: string) =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'communications')
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` }))
  return { mics: pick('audioinput', 'Microphone'), cameras: pick('videoinput', 'Camera'), speakers: pick('audiooutput', 'Speaker') }
}

/** The device lists, kept fresh when devices are plugged in or out; `refreshKey` re-reads (labels appear after permission). */
export function useDevices(refreshKey: unknown = 0): DeviceLists {
  const [lists, setLists] = useState<DeviceLists>(EMPTY)
  useEffect(() => {
    let live = true
    const refresh = () => void listDevices().then((l) => live && setLists(l))
    refresh()
    navigator.mediaDevices?.addEventListener('devicechange', refresh)
    return () => {
      live = false
      navigator.mediaDevices?.removeEventListener('devicechange', refresh)
    }
  }, [refreshKey])
  return lists
}

/** A sentence for the user, from a getUserMedia / getDisplayMedia failure. */
export function describeMediaError(err: unknown, what: 'camera' | 'microphone' | 'screen'): string {
  const name = err instanceof DOMException ? err.name : ''
  if (name === 'NotAllowedError')
    return what === 'screen'
      ? 'Screen sharing was cancelled or blocked.'
      : `Access to the ${what} was blocked. Allow it in your system or browser settings.`
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No ${what} was found.`
  if (name === 'NotReadableError') return `The ${what} is in use by another app.`
  return `The ${what} could not be started.`
}
