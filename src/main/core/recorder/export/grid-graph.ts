import path from 'node:path'
import { filterValue } from './fonts'
import { CANVAS, meetingLayout, type Tile } from './grid-layout'
import type { MeetingPerson, TimedStream } from './meeting-streams'

/** The background of the picture and of every tile nobody is in. */
const BACKGROUND = '0x1b1d22'

export interface GridGraph {
  /** for -filter_complex; outputs [vout] and [aout] (the latter only when anyone was heard) */
  graph: string
  hasAudio: boolean
  /** name files drawtext reads (a file, so no name needs escaping); write them before ffmpeg runs */
  names: Array<{ file: string; text: string }>
}

const sec = (s: number) => Math.max(0, s).toFixed(3)

/**
 * The filter graph of "Export MP4" for a tracks recording: every person's camera in a tile of
 * a grid (shared screens large), each tile dark with no name while its person is not there, so
 * a late joiner appears when they joined and someone who left disappears; names drawn on the
 * tiles; every voice mixed. Each video is brought to the export's frame rate and padded to the
 * whole recording (`tpad`), so `xstack` always has a frame of every tile. Over a full-size
 * background input, so parts of the picture no tile covers are never left undefined (`xstack`
 * in older ffmpeg has no fill colour); its inputs are copied in order, which needs the graph run
 * on one thread (-filter_complex_threads 1).
 */
export function gridGraph(
  people: readonly MeetingPerson[],
  options: { fps: number; durationSec: number; font: string | null; tempDir: string }
): GridGraph {
  const { fps, durationSec, font, tempDir } = options
  const tiled = people.filter((p) => p.camera || p.audio.length > 0)
  const screens = people.flatMap((p) => p.screens.map((s) => ({ person: p, stream: s })))
  const layout = meetingLayout(tiled.length, screens.length)
  const chains: string[] = [`color=c=${BACKGROUND}:s=${CANVAS.w}x${CANVAS.h}:r=${fps}:d=${sec(durationSec)}[bg]`]
  const names: GridGraph['names'] = []
  const placed: Array<{ label: string; tile: Tile }> = []

  const nameText = (text: string, tile: Tile, from: number, to: number): string => {
    if (!font) return ''
    const file = path.join(tempDir, `name-${names.length}.txt`)
    names.push({ file, text })
    const size = Math.min(28, Math.max(12, Math.round(tile.h / 16)))
    return (
      `,drawtext=fontfile=${filterValue(font)}:textfile=${filterValue(file)}:expansion=none:fontsize=${size}:fontcolor=white` +
      `:box=1:boxcolor=black@0.55:boxborderw=${Math.round(size / 3)}:x=${Math.round(size / 2)}:y=h-th-${size}` +
      `:enable=${filterValue(`between(t,${sec(from)},${sec(to)})`)}`
    )
  }
  const videoTile = (stream: TimedStream, tile: Tile, name: string | null): string => {
    const label = `t${placed.length}`
    placed.push({ label, tile })
    const fit =
      `scale=${tile.w}:${tile.h}:force_original_aspect_ratio=decrease,` +
      `pad=${tile.w}:${tile.h}:(ow-iw)/2:(oh-ih)/2:color=${BACKGROUND},setsar=1`
    chains.push(
      `[0:${stream.index}]setpts=PTS-STARTPTS,fps=${fps},${fit},` +
        `tpad=start_duration=${sec(stream.startSec)}:color=${BACKGROUND}` +
        (name === null ? '' : nameText(name, tile, stream.startSec, stream.endSec)) +
        `,tpad=stop_duration=${sec(durationSec)}:color=${BACKGROUND},trim=duration=${sec(durationSec)}[${label}]`
    )
    return label
  }
  tiled.forEach((p, i) => {
    const tile = layout.people[i] as Tile
    if (p.camera) {
      videoTile(p.camera, tile, p.name)
      return
    }
    // Heard but never seen: a tile with their name while they were there.
    const label = `t${placed.length}`
    placed.push({ label, tile })
    const from = Math.min(...p.audio.map((a) => a.startSec))
    const to = Math.max(...p.audio.map((a) => a.endSec))
    chains.push(`color=c=${BACKGROUND}:s=${tile.w}x${tile.h}:r=${fps}:d=${sec(durationSec)}${nameText(p.name, tile, from, to)}[${label}]`)
  })
  screens.forEach(({ person, stream }, i) => videoTile(stream, layout.screens[i] as Tile, `${person.name} (screen)`))

  if (placed.length === 0) chains.push('[bg]null[vout]')
  const inputs = ['[bg]', ...placed.map((p) => `[${p.label}]`)].join('')
  const positions = ['0_0', ...placed.map((p) => `${p.tile.x}_${p.tile.y}`)].join('|')
  if (placed.length > 0) chains.push(`${inputs}xstack=inputs=${placed.length + 1}:layout=${positions}[vout]`)

  const voices = people.flatMap((p) => p.audio)
  voices.forEach((a, i) => chains.push(`[0:${a.index}]aresample=async=1:first_pts=0,apad[a${i}]`))
  if (voices.length === 1) chains.push('[a0]anull[aout]')
  // amix divides by the number of inputs; every input runs the whole length (apad), so
  // multiplying back gives the plain sum of the voices.
  else if (voices.length > 1)
    chains.push(
      `${voices.map((_, i) => `[a${i}]`).join('')}amix=inputs=${voices.length}:duration=longest:dropout_transition=0,volume=${voices.length}[aout]`
    )
  return { graph: chains.join(';'), hasAudio: voices.length > 0, names }
}
