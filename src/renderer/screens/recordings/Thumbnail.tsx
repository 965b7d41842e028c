import { useEffect, useState } from 'react'

/** The recording's cached frame grab, as a blob URL (the page may show blob: images, nothing else). */
export function Thumbnail({ name, version, live }: { name: string; version: number; live: boolean }) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (live) return
    let revoked = false
    let made: string | null = null
    window.dym.invoke('recording.thumbnail', { name }).then(
      (thumb) => {
        if (revoked || !thumb) return
        made = URL.createObjectURL(new Blob([thumb.jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }))
        setUrl(made)
      },
      () => undefined
    )
    return () => {
      revoked = true
      if (made) URL.revokeObjectURL(made)
    }
  }, [name, version, live])
  return (
    <div className="rec-thumb" aria-hidden="true">
      {url ? <img src={url} alt="" /> : <span className="rec-thumb-empty">{live ? 'Recording…' : ''}</span>}
    </div>
  )
}
