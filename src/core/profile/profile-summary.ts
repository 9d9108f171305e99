// Summaries of profile events (SPEC §8.2): stage timings grouped by event, commit and env hash
// (count, mean, p50, p95 in µs), and the A/B comparison of two files stage by stage.
// Timings must be numbers: ferrum accepted strings silently; goodput names the line.

import { compareByteOrder } from '../schema/byte-order.js';
import { mean } from '../stats/moments.js';
import { percentiles } from '../stats/percentile.js';
import type { ProfileLine, ProfileLineError } from './profile-jsonl.js';

export interface StageStats {
  readonly stage: string;
  readonly n: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p95Us: number;
}

export interface ProfileGroup {
  readonly event: string;
  readonly commitSha: string | null;
  readonly envHash: string;
  /** events in the group */
  readonly count: number;
  readonly stages: readonly StageStats[];
}

export interface StageSamples {
  readonly samples: Map<string, number[]>;
  readonly errors: ProfileLineError[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Collects stage samples of `lines`; a non-numeric or negative timing is an error on its line. */
function collectStages(lines: readonly ProfileLine[]): StageSamples {
  const samples = new Map<string, number[]>();
  const errors: ProfileLineError[] = [];
  for (const { line, event } of lines) {
    for (const stage of Object.keys(event.stage_us).sort(compareByteOrder)) {
      const v = event.stage_us[stage];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        errors.push({
          line,
          message: `stage_us.${stage}: expected a non-negative number of microseconds, got ${describe(v)}`,
        });
        continue;
      }
      let list = samples.get(stage);
      if (!list) {
        list = [];
        samples.set(stage, list);
      }
      list.push(v);
    }
  }
  return { samples, errors };
}

function stageStats(samples: ReadonlyMap<string, number[]>): StageStats[] {
  return [...samples.keys()].sort(compareByteOrder).map((stage) => {
    const values = samples.get(stage) ?? [];
    const [p50 = 0, p95 = 0] = percentiles(values, [0.5, 0.95]);
    return { stage, n: values.length, meanUs: mean(values), p50Us: p50, p95Us: p95 };
  });
}

const groupKey = (l: ProfileLine): string =>
  JSON.stringify([l.event.event, l.event.commit_sha, l.event.env_hash]);

/**
 * Groups events by (event, commit, env hash) in byte order and summarises each stage.
 * Every bad timing is returned in `errors` (in line order); the groups leave those values out.
 */
export function summarizeProfile(lines: readonly ProfileLine[]): {
  groups: ProfileGroup[];
  errors: ProfileLineError[];
} {
  const byKey = new Map<string, ProfileLine[]>();
  for (const l of lines) {
    const k = groupKey(l);
    const list = byKey.get(k) ?? [];
    list.push(l);
    byKey.set(k, list);
  }
  const errors: ProfileLineError[] = [];
  const groups: ProfileGroup[] = [];
  for (const members of byKey.values()) {
    const head = (members[0] as ProfileLine).event;
    const { samples, errors: bad } = collectStages(members);
    errors.push(...bad);
    groups.push({
      event: head.event,
      commitSha: head.commit_sha,
      envHash: head.env_hash,
      count: members.length,
      stages: stageStats(samples),
    });
  }
  groups.sort(
    (a, b) =>
      compareByteOrder(a.event, b.event) ||
      compareByteOrder(a.commitSha ?? '', b.commitSha ?? '') ||
      compareByteOrder(a.envHash, b.envHash),
  );
  errors.sort((a, b) => a.line - b.line);
  return { groups, errors };
}

export interface StageComparison {
  readonly event: string;
  readonly stage: string;
  readonly a?: StageStats;
  readonly b?: StageStats;
  /** B / A of the means (and p50, p95); null when a side is missing or A is 0 */
  readonly meanRatio: number | null;
  readonly p50Ratio: number | null;
  readonly p95Ratio: number | null;
}

export interface ProfileComparison {
  readonly rows: readonly StageComparison[];
  /** the commits and env hashes each side's events came from */
  readonly aSources: readonly string[];
  readonly bSources: readonly string[];
  readonly errors: { readonly a: readonly ProfileLineError[]; readonly b: readonly ProfileLineError[] };
}

function byEvent(lines: readonly ProfileLine[]): Map<string, ProfileLine[]> {
  const out = new Map<string, ProfileLine[]>();
  for (const l of lines) {
    const list = out.get(l.event.event) ?? [];
    list.push(l);
    out.set(l.event.event, list);
  }
  return out;
}

const ratio = (b: number | undefined, a: number | undefined): number | null =>
  a === undefined || b === undefined || a === 0 ? null : b / a;

const sources = (lines: readonly ProfileLine[]): string[] =>
  [...new Set(lines.map((l) => `${l.event.commit_sha ?? '(no commit)'} ${l.event.env_hash}`))].sort(
    compareByteOrder,
  );

/**
 * Compares two profiles stage by stage: events of the same name are pooled on each side (whatever
 * their commit, which is what differs between A and B) and joined by event and stage name.
 */
export function compareProfiles(a: readonly ProfileLine[], b: readonly ProfileLine[]): ProfileComparison {
  const ea = byEvent(a);
  const eb = byEvent(b);
  const names = [...new Set([...ea.keys(), ...eb.keys()])].sort(compareByteOrder);
  const rows: StageComparison[] = [];
  const errorsA: ProfileLineError[] = [];
  const errorsB: ProfileLineError[] = [];
  for (const event of names) {
    const sa = collectStages(ea.get(event) ?? []);
    const sb = collectStages(eb.get(event) ?? []);
    errorsA.push(...sa.errors);
    errorsB.push(...sb.errors);
    const statsA = new Map(stageStats(sa.samples).map((s) => [s.stage, s]));
    const statsB = new Map(stageStats(sb.samples).map((s) => [s.stage, s]));
    for (const stage of [...new Set([...statsA.keys(), ...statsB.keys()])].sort(compareByteOrder)) {
      const sA = statsA.get(stage);
      const sB = statsB.get(stage);
      rows.push({
        event,
        stage,
        ...(sA ? { a: sA } : {}),
        ...(sB ? { b: sB } : {}),
        meanRatio: ratio(sB?.meanUs, sA?.meanUs),
        p50Ratio: ratio(sB?.p50Us, sA?.p50Us),
        p95Ratio: ratio(sB?.p95Us, sA?.p95Us),
      });
    }
  }
  return {
    rows,
    aSources: sources(a),
    bSources: sources(b),
    errors: { a: errorsA.sort((x, y) => x.line - y.line), b: errorsB.sort((x, y) => x.line - y.line) },
  };
}
