import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isGoodputError } from '../../../src/core/errors.js';
import {
  BenchReportSchema,
  ScalarStatsSchema,
  SloSchema,
  UNBOUNDED_SLO_MS,
} from '../../../src/core/schema/bench-report.js';
import { writeOrderedJson, writeReportJson } from '../../../src/core/schema/json-writer.js';
import {
  appendixA3Report,
  appendixA4Report,
  sampleExtension,
  stats,
} from '../../fixtures/appendix-a-reports.js';

describe('writeOrderedJson: Appendix A.2 golden bytes', () => {
  it('ScalarStats with dispersion, and without (stddev / ci95_hw omitted when 0.0)', () => {
    expect(writeOrderedJson(stats([95, 100, 100, 100, 105]), ScalarStatsSchema)).toBe(
      '{"mean":100.0,"stddev":3.5355339059327378,"ci95_hw":4.389241392313711}',
    );
    expect(writeOrderedJson(stats([10, 12]), ScalarStatsSchema)).toBe('{"mean":11.0}');
    expect(writeOrderedJson({ mean: 60, stddev: -0, ci95_hw: 0 }, ScalarStatsSchema)).toBe('{"mean":60.0}');
  });

  it('SLO unbounded (largest finite double) and default', () => {
    const max = UNBOUNDED_SLO_MS;
    expect(writeOrderedJson({ ttft_p99_ms: max, tpot_p99_ms: max, e2e_p99_ms: max }, SloSchema)).toBe(
      '{"ttft_p99_ms":1.7976931348623157e308,"tpot_p99_ms":1.7976931348623157e308,"e2e_p99_ms":1.7976931348623157e308}',
    );
    expect(writeOrderedJson({ e2e_p99_ms: 30000, ttft_p99_ms: 500, tpot_p99_ms: 50 }, SloSchema)).toBe(
      '{"ttft_p99_ms":500.0,"tpot_p99_ms":50.0,"e2e_p99_ms":30000.0}',
    );
  });
});

describe('writeOrderedJson: serde rules', () => {
  const Sample = z.looseObject({
    count: z.int(),
    ratio: z.number(),
    label: z.string().optional(),
    maybe: z.number().nullable(),
    map: z.record(z.string(), z.int()),
    list: z.array(z.number()),
  });

  it('declared order, then unknown keys in their order; integers plain, floats with .0; optional omitted, nullable null', () => {
    const value = {
      zeta: 1,
      list: [1, 2.5],
      map: { b: 2, a: 1 },
      maybe: null,
      ratio: 3,
      count: 3,
      alpha: { y: 1.5, x: 2 },
    };
    expect(writeOrderedJson(value, Sample)).toBe(
      '{"count":3,"ratio":3.0,"maybe":null,"map":{"a":1,"b":2},"list":[1.0,2.5],"zeta":1,"alpha":{"y":1.5,"x":2}}',
    );
  });

  it('sorts record keys by UTF-8 bytes, as a Rust BTreeMap', () => {
    const value = {
      count: 0,
      ratio: 0,
      maybe: 1,
      list: [],
      map: { '\u{1F600}': 1, '\uFF21': 2, B: 3, a: 4 },
    };
    expect(writeOrderedJson(value, Sample)).toBe(
      '{"count":0,"ratio":0.0,"maybe":1.0,"map":{"B":3,"a":4,"Ａ":2,"😀":1},"list":[]}',
    );
  });

  it('pretty output is serde_json PrettyFormatter: same layout as JSON.stringify(v, null, 2)', () => {
    fc.assert(
      fc.property(
        fc.record({
          count: fc.nat(),
          ratio: fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
          maybe: fc.constant(null),
          // letters only: JavaScript objects put integer-like keys first, which would skew the oracle
          map: fc.dictionary(
            fc.string({ unit: fc.constantFrom('a', 'b', 'Z', ' ', '_', 'é'), minLength: 1, maxLength: 4 }),
            fc.nat(),
          ),
          list: fc.array(
            fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
            { maxLength: 4 },
          ),
        }),
        (value) => {
          const sortedMap = Object.fromEntries(
            Object.entries(value.map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          );
          const expected = JSON.stringify({ ...value, map: sortedMap }, null, 2);
          expect(writeOrderedJson(value, Sample, { pretty: true })).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('escapes strings as serde_json does and never escapes non-ASCII', () => {
    const S = z.object({ s: z.string() });
    expect(writeOrderedJson({ s: 'a"b\\c\n\t\u0001é/' }, S)).toBe('{"s":"a\\"b\\\\c\\n\\t\\u0001é/"}');
  });

  it('names the JSON path of a value JSON cannot hold', () => {
    const r = appendixA3Report();
    const bad = { ...r, ttft_ms: { ...r.ttft_ms, p50: { mean: Number.NaN, stddev: 0, ci95_hw: 0 } } };
    let caught: unknown;
    try {
      writeReportJson(bad);
    } catch (e) {
      caught = e;
    }
    expect(isGoodputError(caught, 'INTERNAL')).toBe(true);
    expect((caught as Error).message).toContain('ttft_ms.p50.mean');
    expect(() => writeReportJson({ ...r, n_prompt: 1.5 })).toThrow(/n_prompt: expected an integer/);
  });
});

describe('writeReportJson', () => {
  it('writes ferrum field order with the extension last, and omits empty repeat_metrics', () => {
    const r = { ...appendixA3Report(), goodput: sampleExtension() };
    const keys = Object.keys(JSON.parse(writeReportJson(r)));
    const declared = Object.keys(BenchReportSchema.shape).filter((k) => k in r);
    expect(keys).toEqual(declared);
    expect(keys.at(-1)).toBe('goodput');
    expect(keys.at(-2)).toBe('env_hash');
    const empty = writeReportJson({ ...appendixA3Report(), repeat_metrics: [] });
    expect(empty).not.toContain('repeat_metrics');
  });

  it('A.3 JSON carries the values Appendix A.3 states, in ferrum form', () => {
    const json = writeReportJson(appendixA3Report());
    expect(json).toContain(
      '"ttft_ms":{"p50":{"mean":130.66666666666666,"stddev":4.041451884327381,"ci95_hw":10.040333333333335}',
    );
    expect(json).toContain('"itl_ms":{"p50":{"mean":60.0},');
    expect(json).toContain('"n_prompt":10,"n_gen":3,');
    expect(json).toContain('"slo":{"ttft_p99_ms":1.7976931348623157e308,');
    const top = Object.keys(JSON.parse(json));
    for (const absent of [
      'request_rate',
      'actual_input_tokens',
      'actual_input_tokens_per_request',
      'output_token_count_source',
    ]) {
      expect(top).not.toContain(absent);
    }
    for (const present of [
      'concurrency',
      'output_tokens_per_request',
      'itl_evidence_per_request',
      'repeat_metrics',
    ]) {
      expect(top).toContain(present);
    }
    expect(
      json.endsWith(',"env_hash":"sha256:b5883a1670118db0335d99aa8879920e336a39cd9bb18f2b3a658f903e9e504d"}'),
    ).toBe(true);
  });

  it('A.4 JSON: zeroed ITL is {"mean":0.0}, the SLO is written as given', () => {
    const json = writeReportJson(appendixA4Report());
    expect(json).toContain(
      '"itl_ms":{"p50":{"mean":0.0},"p75":{"mean":0.0},"p95":{"mean":0.0},"p99":{"mean":0.0}}',
    );
    expect(json).toContain('"request_rate":2.5,');
    expect(json).toContain('"slo":{"ttft_p99_ms":500.0,"tpot_p99_ms":50.0,"e2e_p99_ms":30000.0}');
    expect(json).toContain('"completed_per_run":[2,0,2],"errored_per_run":[0,2,0]');
  });

  it('pretty mode puts one array element per line, numbers included', () => {
    const pretty = writeReportJson(appendixA3Report(), { pretty: true });
    expect(pretty).toContain('  "completed_per_run": [\n    4,\n    4,\n    4\n  ],\n');
    expect(pretty.startsWith('{\n  "model": "m#tag",\n  "backend": "cuda",\n')).toBe(true);
  });
});
