import './media.css'
const SEGMENTS = 12

/** A segmented audio level meter (0..1), exposed to assistive tech as a meter. */
export function LevelBar({ level, label, testId }: { level: number; label: string; testId?: string }) {
  const value = Math.round(Math.max(0, Math.min(1, level)) * 100)
  const lit = Math.round((value / 100) * SEGMENTS)
  return (
    <div
      className="level-bar"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      data-testid={testId}
    >
      {Array.from({ length: SEGMENTS }, (_, i) => (
        <span key={i} className={i < lit ? (i >= SEGMENTS - 2 ? 'seg seg--hot' : 'seg seg--on') : 'seg'} />
      ))}
    </div>
  )
}
