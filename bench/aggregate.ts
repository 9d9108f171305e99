// Benchmark of computeMetrics (SPEC §10: 1 000 000 request records × 5 repeats to a report in
// ≤ 3 s with peak RSS ≤ 1 GB). Generates seeded, realistic request records (open loop, usage,
// [DONE], a few failures and coalesced reads), times computeMetrics, prints the time and the
// process's peak RSS. Not a test: it never decides whether CI passes.
//
//   npx tsx bench/aggregate.ts                      1 000 000 records in memory (5 × 200 000), 16 events each
//   npx tsx bench/aggregate.ts --per-repeat 1000000 --events 8 --stream
//                                                   5 000 000 records generated lazily while aggregating
//   options: --repeats N  --per-repeat N  --events N  --stream  --rounds N
//
// What the numbers include, so they are read honestly: with --stream each record is made when
// computeMetrics asks for it and dropped once it is aggregated, so the timing includes making the
// records; a pass that only makes and drops them is timed first and printed, and the difference is
// the aggregation's own time. Peak RSS is the whole process's high-water mark; the high-water mark
// before the first round (the runtime, and without --stream the records held in memory) is printed
// too, and the growth above it is what aggregation added.

import os from 'node:os';
import { envHash } from '../dist/core/env/canonical-env.js';
import { computeMetrics, type RecordRepeat } from '../dist/core/metrics/compute-metrics.js';
import type { RandomSource } from '../dist/core/random/random-source.js';
import { deriveStream } from '../dist/core/random/streams.js';
import type { Env } from '../dist/core/schema/bench-report.js';
import type { RequestFlag, RequestRecord } from '../dist/core/schema/request-record.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const repeats = option('repeats', 5);
const perRepeat = option('per-repeat', 200_000);
const events = option('events', 16);
const rounds = option('rounds', 3);
const stream = process.argv.includes('--stream');

const NO_FLAGS: RequestFlag[] = [];
const HTTP_503: RequestFlag[] = ['http_5xx'];

/** One seeded request record: 1 in 500 fails with HTTP 503, 1 in 50 has a coalesced read. */
function makeRecord(rng: RandomSource, repeat: number, index: number): RequestRecord {
  const scheduled = index * 10;
  const send = scheduled + rng.nextFloat() * 0.5;
  if (index % 500 === 499) {
    return {
      id: `0.${repeat}.${index}`,
      cell: 'rate=100',
      repeat,
      index,
      warmup: false,
      scheduled_ms: scheduled,
      send_ms: send,
      event_ms: [],
      end_ms: send + 2,
      input_tokens: 128,
      coalesced_reads: 0,
      done_count: 0,
      status: 503,
      flags: HTTP_503,
      source: 'sse',
    };
  }
  const eventMs = new Array<number>(events);
  let t = send + 20 + rng.nextFloat() * 200;
  for (let k = 0; k < events; k++) {
    eventMs[k] = t;
    t += 5 + rng.nextFloat() * 30;
  }
  return {
    id: `0.${repeat}.${index}`,
    cell: 'rate=100',
    repeat,
    index,
    warmup: false,
    scheduled_ms: scheduled,
    send_ms: send,
    event_ms: eventMs,
    end_ms: t,
    input_tokens: 128,
    server_input_tokens: 135,
    usage_output_tokens: events,
    coalesced_reads: index % 50 === 7 ? 1 : 0,
    done_count: 1,
    status: 200,
    flags: NO_FLAGS,
    source: 'sse',
  };
}

function* lazyRecords(repeat: number): Generator<RequestRecord> {
  const rng = deriveStream({ seed: 1, purpose: 'bench-records', repeat });
  for (let i = 0; i < perRepeat; i++) yield makeRecord(rng, repeat, i);
}

function window(repeat: number) {
  return {
    repeat,
    start_ms: 0,
    end_ms: perRepeat * 10 + 1000,
    expected_requests: perRepeat,
    warmup_expected: 0,
  };
}

const env: Env = {
  commit_sha: '',
  hw_id: 'bench',
  rust: process.version,
  ferrum_features: [],
  ferrum_env: {},
  runtime_config: { entries: [] },
};

/** Time (ms) to make every record of every repeat and drop it, as computeMetrics' loop would. */
function generationOnlyMs(): number {
  const t0 = performance.now();
  // the seeded generator's state changes with every record, so none of this can be skipped
  for (let r = 1; r <= repeats; r++) for (const record of lazyRecords(r)) record.event_ms.at(-1);
  return performance.now() - t0;
}

let generatedMs = 0;
let inputs: RecordRepeat[];
if (stream) {
  generatedMs = generationOnlyMs();
  inputs = Array.from({ length: repeats }, (_, r) => ({
    window: window(r + 1),
    records: { [Symbol.iterator]: () => lazyRecords(r + 1) },
  }));
} else {
  const t0 = performance.now();
  inputs = Array.from({ length: repeats }, (_, r) => ({
    window: window(r + 1),
    records: [...lazyRecords(r + 1)],
  }));
  generatedMs = performance.now() - t0;
}

const rssBeforeMb = process.resourceUsage().maxRSS / 1024;
const times: number[] = [];
const cpuTimes: number[] = [];
let itlSamples = 0;
for (let round = 0; round < rounds; round++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const report = computeMetrics({
    model: 'bench',
    backend: 'sim',
    scenario: 'open_loop',
    requestRate: 100,
    nPrompt: 128,
    nGen: events,
    warmupRequests: 0,
    slo: { ttft_p99_ms: 200, tpot_p99_ms: 30, e2e_p99_ms: 2000 },
    env,
    envHash,
    repeats: inputs,
  });
  times.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  itlSamples = report.goodput?.statistics?.pooled.itl_ms?.n ?? 0;
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] as number;
console.log(
  `computeMetrics: ${repeats} repeats × ${perRepeat} records (${repeats * perRepeat} total), ${events} events each, ` +
    `${itlSamples} ITL samples, records ${stream ? `generated lazily inside the timing (making and dropping them alone: ${generatedMs.toFixed(0)} ms)` : `held in memory (generated in ${generatedMs.toFixed(0)} ms)`}`,
);
const cpuMedian = [...cpuTimes].sort((a, b) => a - b)[Math.floor(cpuTimes.length / 2)] as number;
console.log(`  wall (ms): ${times.map((t) => t.toFixed(0)).join(', ')}   median ${median.toFixed(0)} ms`);
// CPU time (all threads of the process, GC helpers included) is what the wall time would be on an
// idle machine when other processes compete for the cores; report both.
console.log(
  `  cpu  (ms): ${cpuTimes.map((t) => t.toFixed(0)).join(', ')}   median ${cpuMedian.toFixed(0)} ms   load average ${os.loadavg()[0]?.toFixed(1)}`,
);
if (stream) {
  console.log(
    `  aggregation alone (wall − making the records): median ${(median - generatedMs).toFixed(0)} ms`,
  );
}
console.log(
  `  peak RSS ${maxRssMb.toFixed(0)} MB   (before the first round ${rssBeforeMb.toFixed(0)} MB${stream ? '' : ', records in memory included'}; aggregation added ${(maxRssMb - rssBeforeMb).toFixed(0)} MB)   (target: ≤ 3000 ms, ≤ 1024 MB)`,
);
