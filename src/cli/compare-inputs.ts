// Flags and inputs shared by `compare`, `parity` and `compare-commits`: the two sides of a
// comparison, the gate threshold and metrics, the significance level.

import type { Comparison } from '../core/compare/comparison.js';
import { evaluateGate, type GateResult } from '../core/compare/gate.js';
import { parseMetricList } from '../core/compare/metric-catalog.js';
import { GoodputError } from '../core/errors.js';
import { type ResolvedInputs, type ResolveOptions, resolveReportInputs } from '../store/report-inputs.js';

/** Splits the positional inputs into side A and side B: `A B` or `A1 A2 … vs B1 B2 …`. */
export function splitSides(inputs: readonly string[]): [string[], string[]] {
  const vs = inputs.indexOf('vs');
  if (vs < 0) {
    if (inputs.length !== 2) {
      throw new GoodputError(
        'USAGE',
        `expected two inputs (A B) or lists separated by "vs", got ${inputs.length} input(s)`,
        {
          hint: 'e.g. goodput compare a1.json a2.json vs b1.json b2.json',
        },
      );
    }
    return [[inputs[0]!], [inputs[1]!]];
  }
  const a = inputs.slice(0, vs);
  const b = inputs.slice(vs + 1);
  if (a.length === 0 || b.length === 0 || b.includes('vs')) {
    throw new GoodputError('USAGE', 'use "vs" exactly once, with at least one input on each side');
  }
  return [a, b];
}

/** `5`, `5%`, `2.5` → a non-negative percentage. */
export function parsePercent(flag: string, raw: string): number {
  const text = raw.trim().replace(/%$/, '');
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0) {
    throw new GoodputError('USAGE', `${flag} ${raw}: expected a percentage ≥ 0, e.g. 5 or 5%`);
  }
  return n;
}

export function parseAlpha(raw: string): number {
  const n = Number(raw);
  if (!(n > 0 && n < 1))
    throw new GoodputError(
      'USAGE',
      `--alpha ${raw}: expected a significance level between 0 and 1, e.g. 0.05`,
    );
  return n;
}

/** `--fail-on-regression PCT [--metrics …]`: the threshold (undefined: no gate) and the metrics. */
export function parseGateFlags(
  failOnRegression: string | undefined,
  metrics: string | undefined,
): { threshold: number | undefined; gateMetrics: string[] | undefined } {
  const threshold =
    failOnRegression === undefined ? undefined : parsePercent('--fail-on-regression', failOnRegression);
  if (metrics !== undefined && threshold === undefined) {
    throw new GoodputError('USAGE', '--metrics chooses the gate metrics: it needs --fail-on-regression PCT');
  }
  return { threshold, gateMetrics: metrics === undefined ? undefined : parseMetricList(metrics) };
}

/** Resolves both sides' files, directories and ledger selectors; a side with no cells is an error. */
export async function resolveSides(
  inputs: readonly string[],
  where: ResolveOptions,
): Promise<[ResolvedInputs, ResolvedInputs]> {
  const [inputsA, inputsB] = splitSides(inputs);
  const a = await resolveReportInputs(inputsA, where);
  const b = await resolveReportInputs(inputsB, where);
  for (const [side, resolved] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (resolved.cells.length === 0)
      throw new GoodputError('INPUT_EMPTY', `side ${side} (${resolved.label}) has no cells`);
  }
  return [a, b];
}

/** The gate's verdict on a comparison, or undefined when no --fail-on-regression was given. */
export function gateFromFlags(
  comparison: Comparison,
  flags: { threshold: number | undefined; gateMetrics: string[] | undefined },
): GateResult | undefined {
  if (flags.threshold === undefined) return undefined;
  return evaluateGate(comparison, {
    thresholdPct: flags.threshold,
    ...(flags.gateMetrics === undefined ? {} : { metrics: flags.gateMetrics }),
  });
}
