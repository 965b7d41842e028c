import path from 'node:path'

/** A file an export writes under a hidden name and gives its final name once complete. */
export interface PlannedOutput {
  temp: string
  /** the final name without extension: `<recording>`, `<recording> - <person>` */
  base: string
  ext: '.mp4' | '.webm'
}

/** One ffmpeg run that makes an export: its arguments (without -progress), what it writes. */
export interface ExportPlan {
  args: string[]
  /** of the output, for the progress; null when unknown */
  durationSec: number | null
  outputs: PlannedOutput[]
  /** files the run needs (drawtext's names): written before it starts */
  files?: Array<{ file: string; text: string }>
}

/** What every plan knows of the recording it exports. */
export interface ExportSource {
  /** the recording's path */
  file: string
  /** where exports go (the recording's folder) and their temporary names */
  dir: string
  /** the recording's name without .mkv */
  base: string
  /** short and unique to this export: part of its temporary names */
  tag: string
  /** a temporary folder of this export's own, removed when it ends */
  tempDir: string
}

export const tempName = (src: ExportSource, n: number, ext: string) => path.join(src.dir, `.${src.base}.${src.tag}.${n}${ext}.part`)
