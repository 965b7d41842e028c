// Resolves with performance.now() at the first decoded remote video frame on `pc`.
export function firstFrame(pc, video) {
  return new Promise((resolve) => {
    pc.addEventListener('track', (e) => {
      if (e.track.kind !== 'video') return
      video.srcObject = e.streams[0] ?? new MediaStream([e.track])
      video.requestVideoFrameCallback(() => resolve(performance.now()))
    })
  })
}
