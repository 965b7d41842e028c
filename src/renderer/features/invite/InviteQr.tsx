import encodeQR from 'qr'
import { useMemo } from 'react'

/**
 * The invite link as a QR code, drawn as one SVG path (no markup from a library, nothing
 * fetched): a phone's camera reads it to carry the link to another device.
 */
export function InviteQr({ text, size = 196 }: { text: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const grid = encodeQR(text, 'raw', { ecc: 'low', border: 2 })
    let d = ''
    grid.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)))
    return { path: d, modules: grid.length }
  }, [text])
  return (
    <svg
      className="invite-qr"
      width={size}
      height={size}
      viewBox={`0 0 ${modules} ${modules}`}
      shapeRendering="crispEdges"
      role="img"
      aria-label="QR code of the invite link"
      data-testid="invite-qr"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
