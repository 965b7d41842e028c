import { useId, type ReactNode } from 'react'

/** One card of the settings form: a heading, what it is for, its fields. */
export function Section({ title, sub, children }: { title: string; sub: string; children: ReactNode }) {
  const id = useId()
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="card-sub">{sub}</p>
      {children}
    </section>
  )
}

/** A labelled text input (or textarea), with its validation message read out when there is one. */
export function TextField(props: {
  label: string
  value: string
  onChange: (v: string) => void
  error?: string
  placeholder?: string
  multiline?: boolean
  testId?: string
  type?: string
  autoComplete?: string
}) {
  const id = useId()
  const common = {
    id,
    value: props.value,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error ? `${id}-error` : undefined,
    'data-testid': props.testId,
    spellCheck: false
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} className="textarea" rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          className="input"
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {props.error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  )
}
