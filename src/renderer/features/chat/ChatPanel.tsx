import { useEffect, useId, useRef, useState, useSyncExternalStore, type DragEvent, type KeyboardEvent } from 'react'
import { toDymError } from '../../../shared/contract/index'
import type { ChatStore } from './chat-store'
import { FileTransferList } from './FileTransferList'
import './chat.css'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

/** The meeting chat: the conversation so far and a box to write in (Enter sends, Shift+Enter breaks the line). */
export function ChatPanel({ store, selfId }: { store: ChatStore; selfId: string }) {
  const chat = useSyncExternalStore(store.subscribe, store.getSnapshot)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)
  // Sends go out one after another in the order typed, and the box is free at once: the next
  // message can be written while the last one is still on its way.
  const queue = useRef<Promise<void>>(Promise.resolve())
  const listRef = useRef<HTMLDivElement>(null)
  const inputId = useId()
  const fileInput = useRef<HTMLInputElement>(null)
  const [dropping, setDropping] = useState(false)

  const offerFiles = (files: FileList | null) => {
    for (const file of files ?? []) void store.files.offer(file)
  }
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'copy'
    setDropping(true)
  }
  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return
    e.preventDefault()
    setDropping(false)
    offerFiles(e.dataTransfer.files)
  }

  useEffect(() => {
    const list = listRef.current
    if (list) list.scrollTop = list.scrollHeight
  }, [chat.messages.length])

  const send = () => {
    const text = draft.trim()
    if (text === '') return
    setDraft('')
    queue.current = queue.current.then(async () => {
      try {
        await store.send(text)
        setError(null)
      } catch (err) {
        setError(`Not sent: ${toDymError(err).message}`)
        // Give the words back unless something new was written meanwhile.
        setDraft((current) => (current === '' ? text : current))
      }
    })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }

  return (
    <div
      className={`chat ${dropping ? 'chat--dropping' : ''}`}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
      data-testid="chat-panel"
    >
      <div className="chat-log" ref={listRef} role="log" aria-live="polite" aria-label="Messages" tabIndex={0}>
        <ol className="chat-list">
          {chat.messages.length === 0 && (
            <li className="chat-empty">{chat.loaded ? 'No messages yet. Say hello!' : 'Loading messages…'}</li>
          )}
          {chat.messages.map((m, i) => {
            const mine = m.from.peerId === selfId
            const previous = chat.messages[i - 1]
            const grouped = previous?.from.peerId === m.from.peerId && m.sentAt - previous.sentAt < 120_000
            return (
              <li
                key={m.id}
                className={`chat-msg ${mine ? 'chat-msg--mine' : ''} ${grouped ? 'chat-msg--grouped' : ''}`}
                data-testid="chat-message"
                data-from={m.from.peerId}
              >
                {!grouped && (
                  <span className="chat-meta">
                    <span className="chat-author">{mine ? 'You' : m.from.displayName}</span>
                    <time dateTime={new Date(m.sentAt).toISOString()}>{timeFormat.format(m.sentAt)}</time>
                  </span>
                )}
                <span className="chat-text" data-testid="chat-text">
                  {m.text}
                </span>
              </li>
            )
          })}
        </ol>
      </div>
      <FileTransferList store={store.files} />
      {chat.error && <p className="field-error chat-error">History could not be loaded: {chat.error}</p>}
      <div className="chat-compose">
        <label htmlFor={inputId} className="visually-hidden">
          Message everyone
        </label>
        <textarea
          id={inputId}
          className="textarea chat-input"
          rows={2}
          maxLength={4000}
          value={draft}
          placeholder="Message everyone"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="chat-input"
        />
        <input
          ref={fileInput}
          type="file"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            offerFiles(e.target.files)
            e.target.value = ''
          }}
          data-testid="file-input"
        />
        <button
          type="button"
          className="btn btn--small"
          onClick={() => fileInput.current?.click()}
          aria-label="Send a file to everyone"
          title="Send a file to everyone (or drop it here)"
          data-testid="file-pick"
        >
          File
        </button>
        <button type="button" className="btn btn--primary btn--small" onClick={send} disabled={draft.trim() === ''} data-testid="chat-send">
          Send
        </button>
      </div>
      <p className="chat-hint">Enter to send, Shift+Enter for a new line; drop a file here to send it (up to 2 GB)</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
