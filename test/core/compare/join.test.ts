import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeyOf, cellKeyString, cellLabel, modelTag } from '../../../src/core/compare/cell-key.js';
import { joinCells } from '../../../src/core/compare/join.js';
import type { BenchReport } from '../../../src/core/schema/bench-report.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const path = resolve(here, '../../../../shared/fixtures/ferrum/reports/release-gate/baseline_c4_n3.json');
const base = parseReports(readFileSync(path, 'utf8'), path)[0]!;

function cell(
  changes: Partial<BenchReport> & { dataset?: string },
  source = 'x',
): { report: BenchReport; source: string } {
  const { dataset, ...fields } = changes;
  const report: BenchReport = { ...structuredClone(base), ...fields };
  if (dataset !== undefined) report.goodput = { schema_version: 1, dataset: { name: dataset } };
  return { report, source };
}

describe('cell key', () => {
  it('drops the #tag from the model and keeps it as a label', () => {
    const key = cellKeyOf(cell({ model: 'Qwen/Qwen3-8B#vllm' }).report);
    expect(key.model).toBe('Qwen/Qwen3-8B');
    expect(modelTag('Qwen/Qwen3-8B#vllm')).toBe('vllm');
    expect(modelTag('Qwen/Qwen3-8B')).toBeNull();
    expect(cellLabel(key)).toBe('Qwen/Qwen3-8B · closed_loop · c=4 · 256→128');
  });

  it.each([
    [{ concurrency: 8 }],
    [{ n_prompt: 512 }],
    [{ n_gen: 64 }],
    [{ scenario: 'open_loop' as const, concurrency: undefined, request_rate: 2.5 }],
    [{ model: 'other-model' }],
    [{ dataset: 'sharegpt' }],
  ])('changes with %o', (change) => {
    expect(cellKeyString(cellKeyOf(cell(change).report))).not.toBe(cellKeyString(cellKeyOf(base)));
  });

  it('does not change with the tag, backend or env', () => {
    const other = cell({ model: `${base.model}#ferrum`, backend: 'sim', env_hash: 'sha256:00' }).report;
    expect(cellKeyString(cellKeyOf(other))).toBe(cellKeyString(cellKeyOf(base)));
  });
});

describe('joinCells', () => {
  it('joins tagged engines on the same workload', () => {
    const r = joinCells(
      [cell({ model: `${base.model}#ferrum` }, 'f')],
      [cell({ model: `${base.model}#vllm` }, 'v')],
    );
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]!.a.source).toBe('f');
    expect(r.pairs[0]!.b.source).toBe('v');
  });

  it('orders pairs by load numerically (c=4 before c=16) and open-loop rates by value', () => {
    const cs = [16, 4, 32, 1].map((c) => cell({ concurrency: c }));
    expect(joinCells(cs, cs).pairs.map((p) => p.key.concurrency)).toEqual([1, 4, 16, 32]);
    const rates = [10, 2.5, 1].map((r) =>
      cell({ scenario: 'open_loop', concurrency: undefined, request_rate: r }),
    );
    expect(joinCells(rates, rates).pairs.map((p) => p.key.requestRate)).toEqual([1, 2.5, 10]);
  });

  it('keeps the later of two cells with the same key on one side, and says so', () => {
    const r = joinCells([cell({}, 'first.json'), cell({}, 'second.json')], [cell({}, 'b.json')]);
    expect(r.pairs[0]!.a.source).toBe('second.json');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('first.json and second.json');
  });

  it('joins a ferrum cell (no dataset recorded) with a goodput cell of the same shape, with a warning', () => {
    const r = joinCells([cell({}, 'ferrum.json')], [cell({ dataset: 'random' }, 'goodput')]);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]!.key.dataset).toBe('random');
    expect(r.pairs[0]!.warnings[0]).toContain('dataset recorded only on side B');
  });

  it('does not guess when the dataset is ambiguous or differs', () => {
    const ambiguous = joinCells(
      [cell({}, 'ferrum')],
      [cell({ dataset: 'random' }, 'r'), cell({ dataset: 'sharegpt' }, 's')],
    );
    expect(ambiguous.pairs).toHaveLength(0);
    expect(ambiguous.onlyA).toHaveLength(1);
    expect(ambiguous.onlyB).toHaveLength(2);
    const differ = joinCells([cell({ dataset: 'random' })], [cell({ dataset: 'sharegpt' })]);
    expect(differ.pairs).toHaveLength(0);
  });
});
