import { useId } from 'react'
import type { DeviceOption } from './devices'

/** A labelled device select; says so plainly when there is no such device. */
export function DevicePicker({
  label,
  value,
  options,
  onChange,
  testId,
  emptyText
}: {
  label: string
  value?: string
  options: DeviceOption[]
  onChange: (id: string) => void
  testId?: string
  emptyText?: string
}) {
  const id = useId()
  const known = options.some((o) => o.id === value)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="select"
        value={known ? value : (options[0]?.id ?? '')}
        onChange={(e) => onChange(e.target.value)}
        disabled={options.length === 0}
        data-testid={testId}
      >
        {options.length === 0 && <option value="">{emptyText ?? `No ${label.toLowerCase()} found`}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}
