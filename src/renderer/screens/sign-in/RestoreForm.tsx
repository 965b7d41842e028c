import { useId, useState, type FormEvent } from 'react'
import { toDymError, type IdentityView } from '../../../shared/contract/index'
import { checkSeedPhrase, splitSeedWords, type SeedCheck } from '../../../shared/identity/mnemonic'

type Failed = Extract<SeedCheck, { ok: false }>

/**
 * Restore with the 24-word seed phrase. The words are checked here first, word by word (the
 * same check the core runs again), so a typo is pointed at with its position and a suggestion.
 */
export function RestoreForm({ onSignedIn }: { onSignedIn: (view: IdentityView) => void }) {
  const [name, setName] = useState('')
  const [words, setWords] = useState('')
  const [problem, setProblem] = useState<Failed | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    if (name.trim() === '') {
      setError('Type your 3Bot name, for example alice.3bot.')
      return
    }
    const check = checkSeedPhrase(words)
    if (!check.ok) {
      setProblem(check)
      return
    }
    setProblem(null)
    setBusy(true)
    try {
      const view = await window.dym.invoke('identity.restore', { name, words: check.words.join(' ') })
      setWords('')
      onSignedIn(view)
    } catch (err) {
      setError(toDymError(err).message)
    } finally {
      setBusy(false)
    }
  }

  const applySuggestion = (position: number, suggestion: string) => {
    const list = splitSeedWords(words)
    list[position - 1] = suggestion
    const next = list.join(' ')
    setWords(next)
    const check = checkSeedPhrase(next)
    setProblem(check.ok ? null : check)
  }

  return (
    <form className="signin-form" onSubmit={(e) => void submit(e)} aria-describedby={`${id}-note`} noValidate>
      <label htmlFor={`${id}-name`}>3Bot name</label>
      <input
        id={`${id}-name`}
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="alice.3bot"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={60}
      />
      <label htmlFor={`${id}-words`}>Seed phrase (24 words)</label>
      <textarea
        id={`${id}-words`}
        value={words}
        onChange={(e) => {
          setWords(e.target.value)
          if (problem) setProblem(null)
        }}
        rows={4}
        autoComplete="off"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        maxLength={1000}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        placeholder="calm science teach …"
      />
      <p className="form-note" id={`${id}-note`}>
        Your words are used once, on this computer, to sign this device in. They are never stored or sent anywhere.
      </p>
      {problem && <SeedProblem id={`${id}-problem`} problem={problem} onUse={applySuggestion} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Checking…' : 'Restore'}
      </button>
    </form>
  )
}

function SeedProblem({ id, problem, onUse }: { id: string; problem: Failed; onUse: (position: number, word: string) => void }) {
  const bad = new Set(problem.unknown.map((p) => p.position))
  return (
    <div className="seed-problem" id={id}>
      <p className="form-error" role="alert" data-testid="seed-error">
        {problem.message}
      </p>
      {problem.unknown.some((p) => p.suggestion) && (
        <div className="seed-fixes">
          {problem.unknown
            .filter((p) => p.suggestion)
            .slice(0, 6)
            .map((p) => (
              <button key={p.position} type="button" className="button small" onClick={() => onUse(p.position, p.suggestion as string)}>
                Use “{p.suggestion}” for word {p.position}
              </button>
            ))}
        </div>
      )}
      {bad.size > 0 && (
        <ol className="seed-grid" aria-label="Your words">
          {problem.words.slice(0, 30).map((word, i) => (
            <li key={i} className={bad.has(i + 1) ? 'bad' : undefined} aria-invalid={bad.has(i + 1) ? true : undefined}>
              <span className="seed-pos">{i + 1}</span>
              {word}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
