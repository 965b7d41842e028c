import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webm': 'video/webm',
  '.wasm': 'application/wasm',
  '.map': 'application/json'
}

export interface StaticFile {
  body: Buffer
  contentType: string
}

/**
 * Read a file below `root` for a URL path; null when it does not exist or would escape the
 * root. Paths without an extension fall back to index.html (the renderer routes itself).
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const resolvedRoot = path.resolve(root)
  let file = path.resolve(resolvedRoot, '.' + path.posix.normalize('/' + decoded))
  if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) return null
  if (file === resolvedRoot || path.extname(file) === '') file = path.join(resolvedRoot, 'index.html')
  try {
    const info = await stat(file)
    if (!info.isFile()) return null
    return { body: await readFile(file), contentType: MIME[path.extname(file)] ?? 'application/octet-stream' }
  } catch {
    return null
  }
}
