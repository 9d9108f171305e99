import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ErrorCode, GoodputError, isGoodputError } from '../../../src/core/errors.js';
import { type BenchReport, UNBOUNDED_SLO_MS } from '../../../src/core/schema/bench-report.js';
import { writeReportJson } from '../../../src/core/schema/json-writer.js';
import { parseReportFile, parseReports } from '../../../src/core/schema/report-reader.js';
import { createRunEnvelope, writeRunEnvelopeJson } from '../../../src/core/schema/run-envelope.js';
import { appendixA3Report, appendixA4Report, sampleExtension } from '../../fixtures/appendix-a-reports.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);

function errorOf(fn: () => unknown): GoodputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoodputError) return e;
    throw e;
  }
  throw new Error('expected a GoodputError');
}

/** Sorts keys alphabetically at every level, as ferrum 0.7.7's `--output json` wrote them. */
function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeysDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

describe('parseReports: every fixture report', () => {
  it.each(fixtureFiles.map((f) => [f.slice(REPORTS_DIR.length + 1), f]))(
    '%s loads, and survives write → read',
    (_n, file) => {
      const text = readFileSync(file, 'utf8');
      const reports = parseReports(text, file);
      expect(reports).toHaveLength(1);
      const r = reports[0] as BenchReport;
      // 0.7.7 wrote the unbounded SLO as null: read as the finite sentinel
      expect(r.slo).toEqual({
        ttft_p99_ms: UNBOUNDED_SLO_MS,
        tpot_p99_ms: UNBOUNDED_SLO_MS,
        e2e_p99_ms: UNBOUNDED_SLO_MS,
      });
      // the values are the file's values
      const raw = JSON.parse(text);
      expect(r.ttft_ms.p99.mean).toBe(raw.ttft_ms.p99.mean);
      expect(r.completed_per_run).toEqual(raw.completed_per_run);
      // runtime_config is never added on read (older files hash without it)
      expect('runtime_config' in r.env).toBe('runtime_config' in raw.env);
      for (const pretty of [false, true]) {
        const written = writeReportJson(r, { pretty });
        const again = parseReports(written, 'rewritten');
        expect(again).toEqual(reports);
        // bytes are stable once goodput wrote them
        expect(writeReportJson(again[0] as BenchReport, { pretty })).toBe(written);
      }
    },
  );

  it('reads the fields missing from older files as their defaults', () => {
    const r = parseReports(
      readFileSync(join(REPORTS_DIR, 'graph-ab', 'graph_on_c1.json'), 'utf8'),
      'x',
    )[0] as BenchReport;
    expect(r.bad_output_per_run).toEqual([]);
    expect(r.quality_issues_per_run).toEqual([]);
    expect(r.ttft_ms.p50).toEqual({ mean: 41.429029, stddev: 0, ci95_hw: 0 });
    expect(r.repeat_metrics).toBeUndefined();
  });
});

describe('parseReports: shapes', () => {
  const a3 = appendixA3Report();
  const a4 = appendixA4Report();

  it('one object, an array, JSONL (blank lines, CRLF), and the run envelope', () => {
    expect(parseReportFile(writeReportJson(a3), 's').shape).toBe('object');
    const array = parseReportFile(`[${writeReportJson(a3)},${writeReportJson(a4)}]`, 's');
    expect(array.shape).toBe('array');
    expect(array.reports.map((r) => r.model)).toEqual(['m#tag', 'm']);
    const jsonl = parseReportFile(`${writeReportJson(a3)}\r\n\r\n${writeReportJson(a4)}\r\n`, 's');
    expect(jsonl.shape).toBe('jsonl');
    expect(jsonl.reports).toEqual([a3, a4]);
    const meta = {
      tool_version: '0.1.0',
      run_id: 'r',
      started_at: 'a',
      finished_at: 'b',
      command_line: ['goodput'],
    };
    const env = parseReportFile(writeRunEnvelopeJson(createRunEnvelope(meta, [a3, a4])), 's');
    expect(env.shape).toBe('envelope');
    expect(env.envelope?.run_id).toBe('r');
    expect(env.reports).toEqual([a3, a4]);
  });

  it('reads alphabetically sorted keys and a leading BOM', () => {
    const sorted = JSON.stringify(sortKeysDeep(JSON.parse(writeReportJson(a3))), null, 2);
    expect(parseReports(`\uFEFF${sorted}`, 's')).toEqual([a3]);
  });

  it('keeps unknown keys at every level through read → write, in their place after the known ones', () => {
    const raw = JSON.parse(writeReportJson(a3));
    raw.future_field = { a: 1 };
    raw.env.http_connection_mode = 'keep_alive';
    raw.ttft_ms.p50.n = 3;
    const r = parseReports(JSON.stringify(raw), 's')[0] as BenchReport;
    const out = writeReportJson(r);
    expect(out).toContain(
      '"p50":{"mean":130.66666666666666,"stddev":4.041451884327381,"ci95_hw":10.040333333333335,"n":3}',
    );
    expect(out).toContain('"runtime_config":{"entries":[]},"http_connection_mode":"keep_alive"}');
    expect(out.endsWith(',"future_field":{"a":1}}')).toBe(true);
    expect(parseReports(out, 's')).toEqual([r]);
  });

  it('keeps a goodput extension and its loose fields byte for byte', () => {
    const r = { ...a3, goodput: sampleExtension({ knee: { is_knee: true } }) };
    const written = writeReportJson(r, { pretty: true });
    expect(writeReportJson(parseReports(written, 's')[0] as BenchReport, { pretty: true })).toBe(written);
  });
});

describe('parseReports: bad input gets its own error', () => {
  const good = writeReportJson(appendixA3Report(), { pretty: true });

  it.each<[string, string, ErrorCode, RegExp]>([
    ['empty', '', 'INPUT_EMPTY', /^f\.json is empty$/],
    ['whitespace only', '  \n\n ', 'INPUT_EMPTY', /is empty/],
    [
      'truncated pretty JSON',
      good.slice(0, 200),
      'INPUT_TRUNCATED',
      /^f\.json:\d+:\d+: the file ends in the middle of a JSON value/,
    ],
    ['truncated inside a string', '{"model": "m#ta', 'INPUT_TRUNCATED', /^f\.json:1:16: /],
    [
      'not JSON',
      'model = m\n',
      'INPUT_NOT_JSON',
      /^f\.json:1:1: not JSON: unexpected 'm', expected a JSON value/,
    ],
    [
      'a stray character on line 3',
      '{\n  "model": "m",\n  x\n}',
      'INPUT_NOT_JSON',
      /^f\.json:3:3: not JSON: unexpected 'x'/,
    ],
    [
      'a scalar',
      '42',
      'INPUT_SCHEMA',
      /expected a report object, an array of reports or a run envelope, got number/,
    ],
  ])('%s', (_name, text, code, message) => {
    const e = errorOf(() => parseReports(text, 'f.json'));
    expect(e.code).toBe(code);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(message);
    expect(e.hint).toBeTruthy();
  });

  it('JSONL: names the line that is truncated or broken', () => {
    const a = writeReportJson(appendixA3Report());
    const truncated = errorOf(() => parseReports(`${a}\n${a}\n${a.slice(0, 50)}`, 'cells.jsonl'));
    expect(truncated.code).toBe('INPUT_TRUNCATED');
    expect(truncated.message).toMatch(/^cells\.jsonl:3:51: line 3 ends in the middle of a JSON value/);
    const broken = errorOf(() => parseReports(`${a}\n${a}\n# not json`, 'cells.jsonl'));
    expect(broken.code).toBe('INPUT_NOT_JSON');
    expect(broken.message).toMatch(/^cells\.jsonl:3:1: not JSON/);
    const scalar = errorOf(() => parseReports(`${a}\n7`, 'cells.jsonl'));
    expect(scalar.message).toBe('cells.jsonl: line 2: expected a report object, got number');
  });

  it('wrong types carry the JSON path: plain object, array, JSONL line and envelope', () => {
    const raw = JSON.parse(writeReportJson(appendixA3Report()));
    raw.ttft_ms.p50.mean = 'fast';
    const text = JSON.stringify(raw);
    expect(errorOf(() => parseReports(text, 'f.json')).message).toBe(
      'f.json: ttft_ms.p50.mean: expected number, got string "fast"',
    );
    expect(errorOf(() => parseReports(`[${good}, ${text}]`, 'f.json')).message).toBe(
      'f.json: [1].ttft_ms.p50.mean: expected number, got string "fast"',
    );
    expect(
      errorOf(() => parseReports(`${JSON.stringify(JSON.parse(good))}\n${text}`, 'f.jsonl')).message,
    ).toBe('f.jsonl: line 2: ttft_ms.p50.mean: expected number, got string "fast"');
    const envelope = {
      goodput: {
        schema_version: 1,
        tool_version: 'x',
        run_id: 'r',
        started_at: 'a',
        finished_at: 'b',
        command_line: [],
      },
      cells: [raw, raw, raw],
    };
    envelope.cells = [JSON.parse(good), JSON.parse(good), raw];
    const e = errorOf(() => parseReports(JSON.stringify(envelope), 'report.json'));
    expect(e.code).toBe('INPUT_SCHEMA');
    expect(e.message).toBe('report.json: cells[2].ttft_ms.p50.mean: expected number, got string "fast"');
    expect(e.hint).toMatch(/Fix or remove the value at that path/);
  });

  // biome-ignore lint/suspicious/noExplicitAny: mutating parsed JSON of any shape
  it.each<[string, (raw: any) => void, string]>([
    [
      'a missing required field',
      (r) => delete r.n_prompt,
      'n_prompt: required field is missing (expected number)',
    ],
    ['a fraction in an integer field', (r) => (r.n_gen = 2.5), 'n_gen: expected integer, got number 2.5'],
    [
      'a negative counter',
      (r) => (r.completed_per_run = [4, -1, 4]),
      'completed_per_run[1]: got -1, expected at least 0',
    ],
    [
      'an unknown scenario',
      (r) => (r.scenario = 'warp'),
      'scenario: got "warp", expected one of "closed_loop", "open_loop", "shared_prefix", "cli"',
    ],
    [
      'a string SLO',
      (r) => (r.slo.ttft_p99_ms = '500'),
      'slo.ttft_p99_ms: expected number or null, got string "500"',
    ],
    ['a non-positive SLO', (r) => (r.slo.e2e_p99_ms = 0), 'slo.e2e_p99_ms: got 0, expected more than 0'],
  ])('%s', (_name, mutate, expected) => {
    const raw = JSON.parse(good);
    mutate(raw);
    const e = errorOf(() => parseReports(JSON.stringify(raw), 'f.json'));
    expect(e.code).toBe('INPUT_SCHEMA');
    expect(e.message).toBe(`f.json: ${expected}`);
  });

  it('lists several problems together, at most five', () => {
    const raw = JSON.parse(good);
    for (const k of [
      'model',
      'backend',
      'n_prompt',
      'n_gen',
      'n_repeats',
      'n_requests_per_run',
      'warmup_requests',
    ])
      delete raw[k];
    const e = errorOf(() => parseReports(JSON.stringify(raw), 'f.json'));
    expect(e.message.split('\n')).toHaveLength(6);
    expect(e.message).toMatch(/^f\.json: model: required field is missing/);
    expect(e.message).toMatch(/… and 2 more$/);
  });

  it('never throws anything but a GoodputError on arbitrary or mangled input (fuzz)', () => {
    const mangle = fc
      .tuple(fc.nat(good.length), fc.nat(40), fc.string({ maxLength: 8 }))
      .map(([at, cut, insert]) => good.slice(0, at) + insert + good.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json(), mangle), (text) => {
        try {
          parseReports(text, 'fuzz');
        } catch (e) {
          expect(isGoodputError(e)).toBe(true);
          expect((e as GoodputError).exitCode).toBe(2);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('does not overflow the stack on deeply nested input', () => {
    const deep = `${'['.repeat(100_000)}`;
    expect(errorOf(() => parseReports(deep, 'deep.json')).code).toBe('INPUT_TRUNCATED');
    expect(errorOf(() => parseReports(`${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'deep.json')).code).toBe(
      'INPUT_SCHEMA',
    );
  });
});
