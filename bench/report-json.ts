// Benchmark of the ordered JSON writer and the report reader on a cell with large per-request
// arrays (output_tokens_per_request and itl_evidence_per_request of R × N requests), against
// JSON.stringify / JSON.parse of the same object in the same process. Not a test.
//
//   npx tsx bench/report-json.ts                    5 × 200 000 requests, 3 rounds
//   options: --repeats N  --per-repeat N  --rounds N

import type { BenchReport, RequestItlEvidence } from '../dist/core/schema/bench-report.js';
import { writeReportJson } from '../dist/core/schema/json-writer.js';
import { parseReports } from '../dist/core/schema/report-reader.js';
import { appendixA3Report } from '../test/fixtures/appendix-a-reports.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const repeats = option('repeats', 5);
const perRepeat = option('per-repeat', 200_000);
const rounds = option('rounds', 3);

const evidence: RequestItlEvidence = {
  source: 'sse_delta_events',
  output_events: 128,
  usage_output_tokens: 128,
  observed_intervals: 127,
  transport_coalesced_output_chunks: 0,
  eligibility: 'eligible',
};
const report: BenchReport = {
  ...appendixA3Report(),
  n_repeats: repeats,
  output_tokens_per_request: Array.from({ length: repeats }, () =>
    Array.from({ length: perRepeat }, (_, i) => 100 + (i % 50)),
  ),
  itl_evidence_per_request: Array.from({ length: repeats }, () =>
    Array.from({ length: perRepeat }, () => ({ ...evidence })),
  ),
};

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

process.stdout.write(`report JSON: ${repeats} × ${perRepeat} requests, ${rounds} rounds (ms)\n`);
for (let round = 1; round <= rounds; round++) {
  const [compact, writeMs] = time(() => writeReportJson(report));
  const [, prettyMs] = time(() => writeReportJson(report, { pretty: true }));
  const [, stringifyMs] = time(() => JSON.stringify(report));
  const [, readMs] = time(() => parseReports(compact, 'bench'));
  const [, parseMs] = time(() => JSON.parse(compact));
  process.stdout.write(
    `round ${round}: write ${writeMs.toFixed(0)} (pretty ${prettyMs.toFixed(0)}; JSON.stringify ${stringifyMs.toFixed(0)}), ` +
      `read ${readMs.toFixed(0)} (JSON.parse ${parseMs.toFixed(0)}), ${(compact.length / 1e6).toFixed(0)} MB\n`,
  );
}
process.stdout.write(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
