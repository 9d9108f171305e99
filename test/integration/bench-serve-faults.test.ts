// bench-serve against the built-in simulator injecting every fault at known request numbers:
// the locked counters and the extended taxonomy equal the injected counts exactly, every request
// is in requests.jsonl exactly once, errored = injected failures, and no failure is unlabelled.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { deriveRequest } from '../../src/core/metrics/derive-request.js';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { readRunDirectory } from './run-directory-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// request number → fault (the simulator numbers completion requests 1, 2, … in arrival order)
const FAULTS = [
  'http_500@2',
  'http_429@3',
  'http_503@4',
  'reset@5',
  'malformed_json@6',
  'missing_done@7',
  'duplicate_done@8',
  'bad_output@9',
  'mojibake@10',
  'error_event@11',
  'zero_tokens@12',
  'no_usage@13',
  'coalesced@14',
  'stall=30@15',
  'slow_headers=30@16',
].join(',');
const REQUESTS = 24;
/** faults that fail a request: all but no_usage, coalesced, stall and slow_headers */
const FAILING = 11;

const sum = (xs: readonly number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);

describe('bench-serve fault matrix against the simulator', () => {
  const dir = join(tmp, 'run');
  let code = -1;
  let err = '';

  it('runs to the end, exit 0 (no error policy asked for)', async () => {
    const io = memoryIo({ cwd: tmp });
    code = await main(
      [
        'bench-serve',
        '--sim-faults',
        FAULTS,
        '--num-prompts',
        String(REQUESTS),
        '--n-repeats',
        '1',
        '--warmup-requests',
        '0',
        '--concurrency',
        '4',
        '--random-input-len',
        '16',
        '--random-output-len',
        '8',
        '--ignore-eos',
        '--out-dir',
        dir,
        '--no-db',
      ],
      io,
    );
    err = io.err();
    expect(err).not.toContain('internal error');
    expect(code).toBe(0);
  });

  it('writes every request exactly once and nothing unlabelled', () => {
    const { requests } = readRunDirectory(dir);
    expect(requests).toHaveLength(REQUESTS);
    expect(new Set(requests.map((r) => r.id)).size).toBe(REQUESTS);
    expect(requests.map((r) => r.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: REQUESTS }, (_, i) => i),
    );
    const failed = requests.filter((r) => !deriveRequest(r).success);
    expect(failed).toHaveLength(FAILING);
    for (const r of failed)
      expect(r.flags.length, `request ${r.id} failed without a flag`).toBeGreaterThan(0);
  });

  it('fills ferrum’s counters and the extended taxonomy with exactly the injected counts', () => {
    const { cells, envelope, schemaProblems } = readRunDirectory(dir);
    expect(schemaProblems).toEqual([]);
    expect(cells).toHaveLength(1);
    const report = envelope.cells[0] as BenchReport;
    expect(report.errored_per_run).toEqual([FAILING]);
    expect(report.completed_per_run).toEqual([REQUESTS - FAILING]);
    expect(report.http_500_per_run).toEqual([1]);
    // reset mid-stream and one malformed token
    expect(report.malformed_stream_per_run).toEqual([2]);
    expect(report.missing_done_per_run).toEqual([1]);
    expect(report.duplicate_done_per_run).toEqual([1]);
    // bad_output and mojibake
    expect(report.bad_output_per_run).toEqual([2]);
    expect(report.zero_output_tokens_per_run).toEqual([1]);
    expect(report.panic_per_run).toEqual([0]);
    expect(report.stream_bulk_flush_per_run).toEqual([0]);
    const ext = report.goodput?.errors_per_run ?? {};
    expect(sum(ext.http_429)).toBe(1);
    expect(sum(ext.http_5xx)).toBe(2);
    expect(sum(ext.http_4xx)).toBe(0);
    expect(sum(ext.truncated_body)).toBe(1);
    expect(sum(ext.server_error_event)).toBe(1);
    expect(sum(ext.connect_error)).toBe(0);
    expect(sum(ext.timeout)).toBe(0);
    expect(sum(ext.aborted)).toBe(0);
    expect(sum(ext.data_after_done)).toBe(0);
  });

  it('labels the no-usage request as counted from the stream and the coalesced one as ITL-ineligible', () => {
    const { requests, envelope } = readRunDirectory(dir);
    expect(
      requests.filter(
        (r) => r.usage_output_tokens === undefined && r.status === 200 && r.event_ms.length === 8,
      ),
    ).toHaveLength(1);
    expect(requests.filter((r) => r.coalesced_reads > 0).length).toBeGreaterThanOrEqual(1);
    const evidence = (envelope.cells[0] as BenchReport).itl_evidence_per_request?.[0] ?? [];
    expect(evidence.filter((e) => e.eligibility === 'transport_coalesced').length).toBeGreaterThanOrEqual(1);
    expect(evidence.filter((e) => e.eligibility === 'missing_usage')).toHaveLength(1);
  });

  it('--max-error-rate below the injected rate exits 1 after writing everything', async () => {
    const io = memoryIo({ cwd: tmp });
    const out = join(tmp, 'policy');
    const exit = await main(
      [
        'bench-serve',
        '--sim-faults',
        'http_500@1,2',
        '--num-prompts',
        '8',
        '--n-repeats',
        '1',
        '--warmup-requests',
        '0',
      ].concat([
        '--concurrency',
        '2',
        '--random-input-len',
        '8',
        '--random-output-len',
        '4',
        '--max-error-rate',
        '0.2',
        '--out-dir',
        out,
        '--no-db',
      ]),
      io,
    );
    expect(exit).toBe(1);
    expect(io.err()).toMatch(/error rate 0\.2500 exceeds max 0\.2000/);
    expect(readRunDirectory(out).cells).toHaveLength(1);
  });
});
