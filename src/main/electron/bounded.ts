/**
 * Wait for a promise, but never longer than `ms`: the quit path must not hang on a core that
 * cannot finish (a stuck peer, a wedged ffmpeg). Never rejects.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'failed' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  try {
    return await Promise.race([
      work.then(
        () => 'done' as const,
        () => 'failed' as const
      ),
      timeout
    ])
  } finally {
    clearTimeout(timer)
  }
}
