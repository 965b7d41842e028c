/**
 * The renderer's Content-Security-Policy, the same for both hosts: our own scripts only, no
 * eval (only WebAssembly compilation: 'wasm-unsafe-eval' lets the page and its audio worklet
 * compile our own RNNoise model, shipped with the app; it allows no JavaScript eval), no plugins, no frames, media from the camera/mic and blob URLs only. `connect` adds
 * what the page may talk to besides itself (the headless host's WebSocket).
 */
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    // Our stylesheets only: no <style> element or style attribute in markup. React's style
    // props go through the CSSOM (element.style), which style-src does not govern.
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(options.connect ?? [])],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    // Ignored in a <meta> tag, honoured as the header both hosts send: nobody may frame us.
    'frame-ancestors': ["'none'"]
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}
