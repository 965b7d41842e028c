import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { unpackedPath } from '../../../src/main/core/unpacked-path'

const p = (...parts: string[]) => parts.join(path.sep)

describe('unpackedPath', () => {
  it.each([
    [
      'packaged ffmpeg',
      p('', 'opt', 'Digital You Meet', 'resources', 'app.asar', 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg'),
      p('', 'opt', 'Digital You Meet', 'resources', 'app.asar.unpacked', 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg')
    ],
    ['already unpacked', p('', 'r', 'app.asar.unpacked', 'x.node'), p('', 'r', 'app.asar.unpacked', 'x.node')],
    [
      'a development checkout',
      p('', 'repo', 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg'),
      p('', 'repo', 'node_modules', '@ffmpeg-installer', 'linux-x64', 'ffmpeg')
    ],
    ['a folder merely named like it', p('', 'home', 'my-app.asar-notes', 'f'), p('', 'home', 'my-app.asar-notes', 'f')]
  ])('%s', (_what, input, expected) => {
    expect(unpackedPath(input)).toBe(expected)
  })
})
