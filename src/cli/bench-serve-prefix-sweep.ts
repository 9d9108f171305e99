// bench-serve --prefix-groups-sweep (the prefix-cache capacity sweep): one shared-prefix cell per
// number of prefix groups, i.e. per working set of groups × prefix tokens, at one load shape; when
// the run ends, the hit ratios of the cells locate the capacity cliff (core/dataset
// findCapacityCliff), written into every cell as `goodput.shared_prefix.cliff`.

import type { ServeCell } from '../client/serve-benchmark.js';
import { type PreparedDataset, prepareDataset } from '../core/dataset/build-dataset.js';
import { findCapacityCliff } from '../core/dataset/capacity-cliff.js';
import type { DatasetSpec } from '../core/dataset/dataset-spec.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { parseIntFlag, parseListFlag } from './bench-serve-flag-values.js';
import type { CellFlag, RawBenchServeOptions } from './bench-serve-options.js';

/** A cell is past the cliff when its hit ratio is below (1 − this) × the plateau before it. */
export const CLIFF_DROP_FRACTION = 0.5;

/**
 * The sweep's cells: the one load cell repeated once per group count. Undefined without the flag;
 * problems (wrong dataset, a second sweep, --prefix-groups as well) are pushed to `problems`.
 */
export function prefixSweepCells(
  raw: RawBenchServeOptions,
  dataset: DatasetSpec | undefined,
  cells: readonly CellFlag[],
  problems: string[],
): CellFlag[] | undefined {
  if (raw.prefixGroupsSweep === undefined) return undefined;
  const parsed = parseListFlag('--prefix-groups-sweep', raw.prefixGroupsSweep, (t) =>
    parseIntFlag('--prefix-groups-sweep', t, 1),
  );
  if (!parsed.ok) {
    problems.push(parsed.problem);
    return undefined;
  }
  if (dataset !== undefined && dataset.kind !== 'shared-prefix')
    problems.push(`--prefix-groups-sweep needs --dataset shared-prefix (got --dataset ${dataset.kind})`);
  if (raw.prefixGroups !== '1')
    problems.push('--prefix-groups-sweep and --prefix-groups both set the prefix groups: give one');
  if (cells.length !== 1) {
    problems.push(
      '--prefix-groups-sweep varies the working set at one load shape: drop --concurrency-sweep / --rate-sweep',
    );
    return undefined;
  }
  const base = cells[0] as CellFlag;
  return parsed.value.map((groups) => ({ ...base, prefixGroups: groups }));
}

/**
 * The serve cells with their own dataset (the group count of their flag) and a cell key that names
 * it (`closed:c=1:groups=8`), so each working set has its own seeded prompts.
 */
export function withPrefixGroups(
  cells: readonly ServeCell[],
  flags: readonly CellFlag[],
  dataset: PreparedDataset,
): ServeCell[] {
  return cells.map((cell, i) => {
    const groups = flags[i]?.prefixGroups;
    if (groups === undefined || dataset.spec.kind !== 'shared-prefix') return cell;
    return {
      ...cell,
      key: `${cell.key}:groups=${groups}`,
      dataset: prepareDataset({ ...dataset.spec, groups }),
    };
  });
}

interface RatioView {
  readonly ratio?: number | null;
  readonly reportingRequests?: number;
}

/** The hit ratio a cell reports: per-request usage when any request reported cached tokens, else /metrics. */
function cellHitRatio(sp: Record<string, unknown>): {
  ratio: number | null;
  source: 'usage' | 'metrics' | 'none';
} {
  const usage = sp.hit_ratio_usage as RatioView | undefined;
  if (usage !== undefined && (usage.reportingRequests ?? 0) > 0 && typeof usage.ratio === 'number')
    return { ratio: usage.ratio, source: 'usage' };
  const metrics = sp.hit_ratio_metrics as RatioView | undefined;
  if (metrics !== undefined && typeof metrics.ratio === 'number')
    return { ratio: metrics.ratio, source: 'metrics' };
  return { ratio: null, source: 'none' };
}

/**
 * Locates the capacity cliff over the finished cells of a prefix sweep and writes it into each
 * cell's `goodput.shared_prefix` (with the cell's working set). In place; returns the reports.
 */
export function annotatePrefixSweep(reports: BenchReport[]): BenchReport[] {
  const rows = reports.flatMap((r) => {
    const sp = r.goodput?.shared_prefix;
    if (sp === undefined) return [];
    const groups = Number(sp.groups);
    const prefixTokens = Number(sp.prefix_tokens);
    return [{ report: r, sp, groups, workingSetTokens: groups * prefixTokens, ...cellHitRatio(sp) }];
  });
  if (rows.length < 2) return reports;
  const result = findCapacityCliff(
    rows.map((row) => ({ workingSetTokens: row.workingSetTokens, hitRatio: row.ratio })),
    CLIFF_DROP_FRACTION,
  );
  const groupsAt = (ws: number) => rows.find((row) => row.workingSetTokens === ws)?.groups;
  const point = (p: { workingSetTokens: number; hitRatio: number }) => ({
    groups: groupsAt(p.workingSetTokens),
    working_set_tokens: p.workingSetTokens,
    hit_ratio: p.hitRatio,
  });
  const sources = [...new Set(rows.map((row) => row.source).filter((s) => s !== 'none'))];
  for (const row of rows) {
    row.sp.working_set_tokens = row.workingSetTokens;
    row.sp.cliff = {
      rule: `first working set whose hit ratio is below (1 − ${CLIFF_DROP_FRACTION}) × the best ratio of the smaller ones`,
      hit_ratio_source: sources.length === 1 ? sources[0] : sources.length === 0 ? 'none' : 'mixed',
      points: result.points.map(point),
      plateau_hit_ratio: result.plateauHitRatio,
      threshold_hit_ratio: result.thresholdHitRatio,
      ...(result.cliff === null
        ? { found: false, reason: result.reason }
        : {
            found: true,
            last_good: point(result.cliff.lastGood),
            first_bad: point(result.cliff.firstBad),
            estimated_capacity_tokens: result.cliff.estimatedCapacityTokens,
            is_first_bad: row.workingSetTokens === result.cliff.firstBad.workingSetTokens,
          }),
    };
  }
  return reports;
}
