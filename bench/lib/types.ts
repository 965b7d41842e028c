/**
 * One benchmark scenario: it measures our figure and a baseline in the same run, so the
 * report can give a ratio that survives a noisy machine.
 */
export interface Figure {
  /** what is measured, e.g. "join to first frame, 2 participants" */
  label: string
  unit: 'ms' | 's' | 'MiB' | 'fps' | 'x realtime' | 'cpu-s/min' | 'px'
  /** every sample, in run order */
  samples: number[]
}

export interface Comparison {
  ours: Figure
  baseline: Figure
  /** what the baseline is, in a few words */
  baselineLabel: string
  /** true when a smaller number is better (latency, CPU, memory) */
  lowerIsBetter: boolean
}

export interface ScenarioReport {
  scenario: string
  comparisons: Comparison[]
  /** failures are reported, never skipped silently */
  errors: string[]
  /** where the time went, per sample (optional): printed as a table of medians */
  breakdowns?: Breakdown[]
}

/** Where one figure's samples went: one array per stage (milestones or parts), one number per sample. */
export interface Breakdown {
  label: string
  /** what the numbers are, e.g. "ms after the Join click" */
  unit: string
  stages: Record<string, number[]>
  /** anything per sample that helps explain the stages (kept in latest.json only) */
  samples?: unknown[]
}

export interface Scenario {
  name: string
  run(): Promise<ScenarioReport>
}
