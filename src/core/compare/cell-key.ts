// The explicit join key of a cell (SPEC §7.1): model WITHOUT its `#tag`, scenario, concurrency or
// rate, requested input/output lengths and dataset. The tag and the engine are labels, not part of
// the key, so the same workload on ferrum and on vLLM joins (ferrum's compare_bench.py never did).

import { modelWithoutTag } from '../env/comparability.js';
import type { BenchReport } from '../schema/bench-report.js';

export interface CellKey {
  /** the model with any `#tag` removed */
  readonly model: string;
  readonly scenario: string;
  readonly concurrency: number | null;
  readonly requestRate: number | null;
  readonly nPrompt: number;
  readonly nGen: number;
  /** goodput's recorded dataset name; null for reports that do not record it (every ferrum report) */
  readonly dataset: string | null;
}

/** The `#tag` of a model name (bench-serve `--tag`), or null. */
export function modelTag(model: string): string | null {
  const hash = model.indexOf('#');
  return hash < 0 ? null : model.slice(hash + 1);
}

export function cellKeyOf(report: BenchReport): CellKey {
  const dataset = report.goodput?.dataset?.name;
  return {
    model: modelWithoutTag(report.model),
    scenario: report.scenario,
    concurrency: report.concurrency ?? null,
    requestRate: report.request_rate ?? null,
    nPrompt: report.n_prompt,
    nGen: report.n_gen,
    dataset: typeof dataset === 'string' ? dataset : null,
  };
}

/** The load part of a cell's label as ferrum prints it: `c=16`, `rate=2.5`, or the scenario. */
export function loadLabel(key: CellKey): string {
  if (key.concurrency !== null) return `c=${key.concurrency}`;
  if (key.requestRate !== null) return `rate=${key.requestRate}`;
  return key.scenario;
}

/** A human-readable cell label, with the model (ferrum's compare table left it out). */
export function cellLabel(key: CellKey): string {
  const dataset = key.dataset === null ? '' : ` · ${key.dataset}`;
  return `${key.model} · ${key.scenario} · ${loadLabel(key)} · ${key.nPrompt}→${key.nGen}${dataset}`;
}

/** The key without the dataset, as one string: the first stage of the join. */
export function shapeKeyString(key: CellKey): string {
  return [
    key.model,
    key.scenario,
    `c=${key.concurrency ?? '-'}`,
    `rate=${key.requestRate ?? '-'}`,
    `in=${key.nPrompt}`,
    `out=${key.nGen}`,
  ].join('|');
}

/** The full key as one string; stored in the ledger's `cell_key` column. */
export function cellKeyString(key: CellKey): string {
  return `${shapeKeyString(key)}|ds=${key.dataset ?? '?'}`;
}
