// The CI gate of `compare --fail-on-regression PCT` (SPEC §7.1): it fails when a SIGNIFICANT
// regression (verdict "worse") exceeds PCT % of A on one of the chosen metrics. A regression that
// is not significant never fails the gate, however large it looks; it is reported as such.

import type { Comparison } from './comparison.js';
import { DEFAULT_GATE_METRICS } from './metric-catalog.js';

export interface GateOptions {
  /** the tolerated regression, in % of A (5 means 5 %) */
  readonly thresholdPct: number;
  /** metric ids; default DEFAULT_GATE_METRICS */
  readonly metrics?: readonly string[];
}

export interface GateFinding {
  readonly cell: string;
  readonly metric: string;
  /** how much worse B is, in % of A */
  readonly regressionPct: number;
  readonly pValue: number | null;
}

export interface GateResult {
  readonly failed: boolean;
  readonly thresholdPct: number;
  readonly metrics: readonly string[];
  /** significant regressions beyond the threshold: these fail the gate */
  readonly failures: GateFinding[];
  /** regressions beyond the threshold that are NOT significant (or not assessable): shown, never failing */
  readonly ignored: GateFinding[];
}

export function evaluateGate(comparison: Comparison, options: GateOptions): GateResult {
  const metrics = options.metrics ?? DEFAULT_GATE_METRICS;
  const chosen = new Set(metrics);
  const failures: GateFinding[] = [];
  const ignored: GateFinding[] = [];
  for (const cell of comparison.cells) {
    for (const m of cell.metrics) {
      if (!chosen.has(m.metric) || m.regressionPct === null || !(m.regressionPct > options.thresholdPct))
        continue;
      const finding = {
        cell: cell.label,
        metric: m.metric,
        regressionPct: m.regressionPct,
        pValue: m.welch?.pValue ?? null,
      };
      (m.verdict === 'worse' ? failures : ignored).push(finding);
    }
  }
  return { failed: failures.length > 0, thresholdPct: options.thresholdPct, metrics, failures, ignored };
}
