// Injected into the app's pages (Playwright addInitScript) by the join-to-first-frame bench.
// Records, in absolute milliseconds (performance.timeOrigin + now, comparable across pages of
// one machine), where a join spends its time; it changes nothing the app does.
//   clickAt      the pre-join "Join now" / "Start meeting" click (capture phase, before React)
//   meetingAt    the meeting screen is in the DOM (room.join answered)
//   tiles[id]    { listedAt: a remote camera tile for member `id` appeared,
//                  videoAt: its <video> appeared (a remote stream is attached),
//                  frameAt: first frame presented in that <video> (requestVideoFrameCallback) }
//   pcs          per RTCPeerConnection: createdAt, connectedAt, trackAt (first video track)
//   log          the first calls and events through window.dym that matter for a join:
//                room.join / room.create sent and answered, room.updated, signals out and in
//                (offer, answer, first candidate per peer), each with its time
;(() => {
  const abs = () => performance.timeOrigin + performance.now()
  const bench = { clickAt: null, meetingAt: null, tiles: {}, log: [] }
  window.__bench = bench
  const pcTimes = new WeakMap()
  bench.pcTimes = (pc) => (pc ? (pcTimes.get(pc) ?? null) : null)

  const Native = window.RTCPeerConnection
  if (Native) {
    class TimedPeerConnection extends Native {
      constructor(...args) {
        super(...args)
        const times = { createdAt: abs(), connectedAt: null, trackAt: null }
        pcTimes.set(this, times)
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'connected' && times.connectedAt === null) times.connectedAt = abs()
        })
        this.addEventListener('track', (e) => {
          if (e.track.kind === 'video' && times.trackAt === null) times.trackAt = abs()
        })
      }
    }
    window.RTCPeerConnection = TimedPeerConnection
  }

  // window.dym is assigned by the host's bridge script; wrap it as it arrives.
  const MAX_LOG = 200
  const seen = new Set()
  const note = (what, peer) => {
    const key = `${what} ${peer ?? ''}`
    if (seen.has(key)) return
    seen.add(key)
    if (bench.log.length < MAX_LOG) bench.log.push({ at: abs(), what, peer: peer ?? null })
  }
  const signalName = (s) => (s?.kind === 'description' ? s.description?.type : s?.kind)
  let dym
  Object.defineProperty(window, 'dym', {
    configurable: true,
    get: () => dym,
    set: (api) => {
      const invoke = api.invoke.bind(api)
      const on = api.on.bind(api)
      dym = {
        ...api,
        invoke: (method, req) => {
          if (method === 'signal.send') note(`send ${signalName(req?.signal)}`, req?.to)
          if (method !== 'room.join' && method !== 'room.create') return invoke(method, req)
          note(`${method} sent`)
          return invoke(method, req).then((r) => (note(`${method} answered`), r))
        },
        on: (event, cb) => {
          if (event === 'signal.received') return on(event, (e) => (note(`received ${signalName(e?.signal)}`, e?.from), cb(e)))
          if (event === 'room.updated') return on(event, (e) => (note('room.updated', String(e?.members?.length ?? '')), cb(e)))
          return on(event, cb)
        }
      }
    }
  })

  document.addEventListener(
    'click',
    (e) => {
      const target = e.target instanceof Element ? e.target.closest('[data-testid="join-button"]') : null
      if (target) bench.clickAt = abs()
    },
    true
  )

  const hooked = new WeakSet()
  const scan = () => {
    if (bench.meetingAt === null && document.querySelector('[data-testid="meeting"]')) bench.meetingAt = abs()
    for (const tile of document.querySelectorAll('[data-testid="tile"][data-role="camera"]:not([data-self])')) {
      const id = tile.getAttribute('data-peer-id')
      if (!id) continue
      const entry = (bench.tiles[id] ??= { listedAt: abs(), videoAt: null, frameAt: null })
      const video = tile.querySelector('video')
      if (!video || hooked.has(video)) continue
      hooked.add(video)
      entry.videoAt ??= abs()
      video.requestVideoFrameCallback(() => {
        entry.frameAt ??= abs()
      })
    }
  }
  new MutationObserver(scan).observe(document, { childList: true, subtree: true })
})()
