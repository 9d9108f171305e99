// `goodput merge`'s computation (SPEC §9): checks that a set of shard outputs is one run (same
// plan, every shard once, each holding exactly its stripe of the requests), puts every record on
// one clock — ms since the shared --start-at, through each shard's wall-clock anchor — and computes
// ONE report with computeMetrics, as a single process would have (same cell key, every request).
//
// Assumption: the shards' hosts keep their wall clocks synchronised (NTP, PTP). Each shard's anchor
// is exact to its recorded uncertainty; the offset between two hosts' clocks adds to it unseen.

import { envHash } from '../env/canonical-env.js';
import { GoodputError } from '../errors.js';
import { computeMetrics } from '../metrics/compute-metrics.js';
import type { BenchReport, Scenario } from '../schema/bench-report.js';
import type { GoodputExtension } from '../schema/extension.js';
import type { RepeatWindow, RequestRecord } from '../schema/request-record.js';
import { type ShardClock, type ShardManifest, shardPlanHash } from './shard-manifest.js';

export interface ShardOutput {
  /** where it came from (its directory), named in every error */
  readonly source: string;
  readonly manifest: ShardManifest;
  readonly records: readonly RequestRecord[];
}

export interface MergedRun {
  readonly report: BenchReport;
  /** every record, on the merged clock (ms since --start-at), shard by shard */
  readonly records: RequestRecord[];
  readonly window: RepeatWindow;
}

const bad = (message: string, hint?: string) =>
  new GoodputError('INPUT_SCHEMA', message, hint === undefined ? {} : { hint });

/** Every problem that keeps `shards` from being one run, each naming its directory. */
export function shardSetProblems(shards: readonly ShardOutput[]): string[] {
  const first = shards[0];
  if (first === undefined) return ['no shard directories given'];
  const problems: string[] = [];
  const n = first.manifest.shards;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const m = s.manifest;
    if (shardPlanHash(m.plan) !== m.plan_hash)
      problems.push(
        `${s.source}: its plan does not match its plan_hash (the manifest was edited or damaged)`,
      );
    if (shardPlanHash(m.plan) !== shardPlanHash(first.manifest.plan)) {
      const differing = Object.keys({ ...m.plan, ...first.manifest.plan }).filter(
        (k) => JSON.stringify(m.plan[k]) !== JSON.stringify(first.manifest.plan[k]),
      );
      problems.push(
        `${s.source}: its plan differs from ${first.source}'s (${differing.join(', ') || 'plan hash'}): not the same run`,
      );
    }
    if (m.shards !== n)
      problems.push(`${s.source}: shard ${m.shard}/${m.shards}, but ${first.source} is one of ${n}`);
    if (m.start_at_ms !== first.manifest.start_at_ms)
      problems.push(
        `${s.source}: --start-at ${m.start_at_ms}, but ${first.source} started at ${first.manifest.start_at_ms}`,
      );
    if (m.interrupted === true)
      problems.push(`${s.source}: the shard was interrupted; its records are incomplete`);
    const other = seen.get(m.shard);
    if (other !== undefined) problems.push(`${s.source}: shard ${m.shard} is given twice (also ${other})`);
    seen.set(m.shard, s.source);
    problems.push(...stripeProblems(s));
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    problems.push(`shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${n} missing`);
  return problems;
}

/** A shard must hold each request of its stripe (index ≡ shard mod N) exactly once, nothing else. */
function stripeProblems(s: ShardOutput): string[] {
  const m = s.manifest;
  const measured = s.records.filter((r) => !r.warmup);
  const wrong = measured.find((r) => r.index % m.shards !== m.shard || r.index >= m.plan.requests);
  if (wrong !== undefined)
    return [
      `${s.source}: record ${wrong.id} (request ${wrong.index}) is not in shard ${m.shard}/${m.shards}'s part`,
    ];
  const indices = new Set(measured.map((r) => r.index));
  const expected = m.window.expected_requests;
  if (indices.size !== measured.length) return [`${s.source}: a measured request has two records`];
  if (measured.length !== expected)
    return [`${s.source}: ${measured.length} measured records, its window expects ${expected}`];
  return [];
}

/** The merged clock: ms since --start-at, through the shard's wall-clock anchor. */
function toMergedClock(clock: ShardClock, startAtMs: number): (t: number) => number {
  const shift = clock.epoch_ms - clock.monotonic_ms - startAtMs;
  return (t) => t + shift;
}

function shiftRecord(r: RequestRecord, at: (t: number) => number): RequestRecord {
  return {
    ...r,
    ...(r.scheduled_ms === undefined ? {} : { scheduled_ms: at(r.scheduled_ms) }),
    send_ms: at(r.send_ms),
    ...(r.connected_ms === undefined ? {} : { connected_ms: at(r.connected_ms) }),
    ...(r.headers_ms === undefined ? {} : { headers_ms: at(r.headers_ms) }),
    event_ms: r.event_ms.map(at),
    end_ms: at(r.end_ms),
  };
}

/** Merges a checked set of shards into one report (throws INPUT_SCHEMA naming what is wrong). */
export function mergeShards(shards: readonly ShardOutput[]): MergedRun {
  const problems = shardSetProblems(shards);
  if (problems.length > 0) {
    throw bad(
      problems.length === 1
        ? (problems[0] as string)
        : `${problems.length} problems:\n  ${problems.join('\n  ')}`,
      'give every shard directory of one run exactly once (goodput merge DIR0 DIR1 …)',
    );
  }
  const ordered = [...shards].sort((a, b) => a.manifest.shard - b.manifest.shard);
  const head = (ordered[0] as ShardOutput).manifest;
  const startAt = head.start_at_ms;
  const records: RequestRecord[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let warmupExpected = 0;
  const starts: number[] = [];
  for (const s of ordered) {
    const at = toMergedClock(s.manifest.clock, startAt);
    for (const r of s.records) records.push(shiftRecord(r, at));
    const w = s.manifest.window;
    start = Math.min(start, at(w.start_ms));
    end = Math.max(end, at(w.end_ms));
    starts.push(at(w.start_ms));
    warmupExpected += w.warmup_expected;
  }
  const window: RepeatWindow = {
    repeat: head.window.repeat,
    start_ms: start,
    end_ms: end,
    expected_requests: head.plan.requests,
    warmup_expected: warmupExpected,
  };
  const measured = records.filter((r) => !r.warmup);
  const cell = head.cell;
  const nPrompt =
    cell.n_prompt ??
    Math.round(measured.reduce((a, r) => a + r.input_tokens, 0) / Math.max(1, measured.length));
  const extension: Partial<GoodputExtension> = {
    ...(head.extension as Partial<GoodputExtension>),
    shards: {
      count: head.shards,
      plan_hash: head.plan_hash,
      start_at: new Date(startAt).toISOString(),
      start_at_ms: startAt,
      clock: 'ms since start_at: each shard’s monotonic times through its wall-clock anchor',
      assumption:
        'the shards’ hosts keep synchronised wall clocks (NTP/PTP); their offset adds to the uncertainty',
      anchor_uncertainty_ms: Math.max(...ordered.map((s) => s.manifest.clock.uncertainty_ms)),
      start_spread_ms: Math.max(...starts) - Math.min(...starts),
      started_late_ms: ordered.map((s) => s.manifest.started_late_ms),
      sources: ordered.map((s) => s.source),
    },
  };
  const report = computeMetrics({
    model: cell.model,
    backend: cell.backend,
    scenario: head.plan.scenario as Scenario,
    ...(cell.concurrency === undefined ? {} : { concurrency: cell.concurrency }),
    ...(cell.request_rate === undefined ? {} : { requestRate: cell.request_rate }),
    nPrompt,
    nGen: cell.n_gen,
    warmupRequests: warmupExpected,
    slo: head.plan.slo,
    env: cell.env,
    envHash,
    extension,
    policy: { requireDone: cell.require_done },
    repeats: [{ window, records }],
  });
  return { report, records, window };
}
