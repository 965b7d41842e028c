import { useEffect, useRef } from 'react'
import { toDymError, type ConsentAnswer, type Notice, type PersonView, type RoomView } from '../../../shared/contract/index'

/** Consent requests one meeting shows at most (a recording each). */
const MAX_REQUESTS = 20

type Toast = {
  text: string
  tone?: 'info' | 'success' | 'warning' | 'danger'
  actions?: Array<{ label: string; run: () => void }>
  duration?: number
}

/** Our signed answer (the core signs it with this device's key), told to everyone in the meeting. */
async function answer(roomId: string, consent: { id: string; recorder: string }, choice: ConsentAnswer): Promise<void> {
  const ack = await window.dym.invoke('recording.consent-answer', { recording: consent.id, recorder: consent.recorder, answer: choice })
  await window.dym.invoke('notice.send', { roomId, notice: { kind: 'recording-consent', ack } })
}

/**
 * Consent in the meeting: while someone records a recording that asks, we are shown the notice
 * and answer it (only who agrees is in the file: who refuses or never answers is left out); anyone's refusal is
 * shown to everyone. The requests come from the room view (the recorder's own, as its notice
 * told it), so whoever joins while a recording runs is asked too. One prompt per recording.
 */
export function useConsentPrompts(input: {
  roomId: string
  selfId: string
  /** who records now, and what their recordings ask (the room view's) */
  recorders: readonly PersonView[]
  requests: RoomView['consentRequests']
  onToast: (toast: Toast) => void
}): void {
  const { roomId, selfId, recorders, requests } = input
  const toast = useRef(input.onToast)
  useEffect(() => {
    toast.current = input.onToast
  })
  const asked = useRef(new Set<string>())
  useEffect(() => {
    for (const ask of requests) {
      // A member flooding requests is not heard past a few.
      const from = recorders.find((p) => p.peerId === ask.recorder)
      if (!from || from.peerId === selfId || asked.current.has(ask.id) || asked.current.size >= MAX_REQUESTS) continue
      const consent = ask
      asked.current.add(consent.id)
      const reply = (choice: ConsentAnswer) => () =>
        void answer(roomId, consent, choice).then(
          () => choice === 'refuse' && toast.current({ text: `You refused: you are left out of ${from.displayName}'s recording` }),
          (err) => toast.current({ text: `Your answer was not sent: ${toDymError(err).message}`, tone: 'danger' })
        )
      toast.current({
        text: `${from.displayName} is recording this meeting (each person's picture and voice). Do you agree to be in it? Until you do, you are left out.`,
        tone: 'warning',
        duration: 0,
        actions: [
          { label: 'I agree', run: reply('agree') },
          { label: 'Refuse', run: reply('refuse') }
        ]
      })
    }
  }, [roomId, selfId, recorders, requests])
  useEffect(() => {
    const onNotice = (from: PersonView, notice: Notice) => {
      if (notice.kind === 'recording-consent' && notice.ack.answer === 'refuse' && notice.ack.by === from.peerId)
        toast.current({ text: `${from.displayName} refused to be recorded: they are left out of the recording`, tone: 'warning' })
      // The recorder learns who is in its file (who has not said yes yet is left out).
      if (
        notice.kind === 'recording-consent' &&
        notice.ack.answer === 'agree' &&
        notice.ack.by === from.peerId &&
        notice.ack.recorder === selfId
      )
        toast.current({ text: `${from.displayName} agreed to be in your recording` })
    }
    return window.dym.on('notice.received', (e) => e.roomId === roomId && onNotice(e.from, e.notice))
  }, [roomId, selfId])
}
