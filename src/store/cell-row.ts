// The mapping between a BenchReport and its row in the ledger's `cells` table: the report JSON
// (compact, in the locked key order) plus the indexed columns queries and joins use.

import { cellKeyOf, cellKeyString } from '../core/compare/cell-key.js';
import { GoodputError } from '../core/errors.js';
import { type BenchReport, BenchReportSchema } from '../core/schema/bench-report.js';
import { writeReportJson } from '../core/schema/json-writer.js';

export interface CellColumns {
  cell_key: string;
  model: string;
  model_base: string;
  backend: string;
  scenario: string;
  concurrency: number | null;
  request_rate: number | null;
  n_prompt: number;
  n_gen: number;
  dataset: string | null;
  n_repeats: number;
  comparability_hash: string | null;
  env_hash: string;
  commit_sha: string | null;
  started_at: string | null;
  finished_at: string | null;
  report_json: string;
}

export function cellRowFromReport(report: BenchReport): CellColumns {
  const key = cellKeyOf(report);
  const ext = report.goodput;
  return {
    cell_key: cellKeyString(key),
    model: report.model,
    model_base: key.model,
    backend: report.backend,
    scenario: report.scenario,
    concurrency: key.concurrency,
    request_rate: key.requestRate,
    n_prompt: report.n_prompt,
    n_gen: report.n_gen,
    dataset: key.dataset,
    n_repeats: report.n_repeats,
    comparability_hash: ext?.comparability?.hash ?? null,
    env_hash: report.env_hash,
    commit_sha: report.env.commit_sha === '' ? null : report.env.commit_sha,
    started_at: ext?.started_at ?? null,
    finished_at: ext?.finished_at ?? null,
    report_json: writeReportJson(report),
  };
}

/** Reads a stored report back; a row that no longer validates is an IO error naming the cell. */
export function reportFromRow(json: string, where: string): BenchReport {
  const parsed = BenchReportSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new GoodputError(
      'IO',
      `${where}: stored report no longer validates: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
