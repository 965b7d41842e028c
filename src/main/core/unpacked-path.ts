import path from 'node:path'

/**
 * In the packaged app, files the installer keeps outside the asar archive (the ffmpeg binary,
 * native `.node` modules; see electron-builder.yml asarUnpack) live under `app.asar.unpacked`,
 * but packages that compute their own path (e.g. @ffmpeg-installer/ffmpeg's `path`) report it
 * inside `app.asar`, where nothing can be executed. Outside a packaged app: unchanged.
 */
export function unpackedPath(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`
  return file.includes(marker) ? file.replace(marker, `${path.sep}app.asar.unpacked${path.sep}`) : file
}
