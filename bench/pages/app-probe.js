// Injected into the app's pages (Playwright addInitScript) by the join-to-first-frame bench.
// Records, in absolute milliseconds (performance.timeOrigin + now, comparable across pages of
// one machine), where a join spends its time; it changes nothing the app does.
//   clickAt      the pre-join "Join now" / "Start meeting" click (capture phase, before React)
//   meetingAt    the meeting screen is in the DOM (room.join answered)
//   tiles[id]    { listedAt: a remote camera tile for member `id` appeared,
//                  videoAt: its <video> appeared (a remote stream is attached),
//                  frameAt: first frame presented in that <video> (requestVideoFrameCallback) }
//   pcs          per RTCPeerConnection: createdAt, connectedAt, trackAt (first video track)
;(() => {
  const abs = () => performance.timeOrigin + performance.now()
  const bench = { clickAt: null, meetingAt: null, tiles: {} }
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
