import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parityTable, parseFlags } from '../../../src/core/compare/parity.js';
import { KNOBS, normaliseKnobValue } from '../../../src/core/compare/parity-knobs.js';
import type { BenchReport } from '../../../src/core/schema/bench-report.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => {
  const path = resolve(here, '../../../../shared/fixtures/ferrum/reports', name);
  return parseReports(readFileSync(path, 'utf8'), path)[0]!;
};
const base = fixture('release-gate/baseline_c4_n3.json');

function withServer(
  server: { server_args?: string[]; server_env?: Record<string, string> },
  commandLine?: string[],
  ferrumEnv: Record<string, string> = {},
): BenchReport {
  const r = structuredClone(base);
  r.env.ferrum_env = ferrumEnv;
  r.goodput = { schema_version: 1, server, ...(commandLine ? { command_line: commandLine } : {}) };
  return r;
}

const row = (t: ReturnType<typeof parityTable>, knob: string) => t.rows.find((r) => r.knob === knob)!;

describe('parseFlags', () => {
  it('reads --flag value, --flag=value and bare flags, from tokens or whole strings; the last occurrence wins', () => {
    const flags = parseFlags([
      '--max-num-seqs 32 --enable-chunked-prefill',
      '--dtype=float16',
      '--max-num-seqs',
      '64',
      '-tp',
      '2',
    ]);
    expect(Object.fromEntries(flags)).toEqual({
      '--max-num-seqs': '64',
      '--enable-chunked-prefill': '',
      '--dtype': 'float16',
      '-tp': '2',
    });
  });
});

describe('normaliseKnobValue', () => {
  it.each([
    ['switch', '1', 'on'],
    ['switch', 'True', 'on'],
    ['switch', 'off', 'off'],
    ['switch', '0', 'off'],
    ['number', '0.90', '0.9'],
    ['number', '32', '32'],
    ['text', 'FP16', 'fp16'],
  ] as const)('%s %s → %s', (kind, raw, value) => {
    expect(normaliseKnobValue(kind, raw)).toBe(value);
  });
});

describe('parityTable', () => {
  it('has every checklist knob of SPEC §7.3', () => {
    const ids = KNOBS.map((k) => k.id);
    for (const id of [
      'kv_cache_fraction',
      'max_num_seqs',
      'max_num_batched_tokens',
      'chunked_prefill',
      'prefix_caching',
      'dtype',
      'quantization',
      'kv_cache_dtype',
      'tensor_parallel',
      'cuda_graphs',
      'temperature',
      'top_p',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('vLLM flags against ferrum env vars: equal, different and unknown rows with their sources', () => {
    const vllm = withServer(
      {
        server_args: [
          '--gpu-memory-utilization 0.90 --max-num-seqs 32 --max-num-batched-tokens 2048 --dtype float16',
          '--enable-chunked-prefill --no-enable-prefix-caching --enforce-eager',
        ],
      },
      ['goodput', 'bench-serve', '--extra-body', '{"top_p":0.9,"temperature":0}', '--ignore-eos'],
    );
    const ferrum = withServer(
      { server_env: { FERRUM_PAGED_MAX_SEQS: '32', FERRUM_PREFIX_CACHE: '1', FERRUM_GRAPH: '1' } },
      ['goodput', 'bench-serve', '--extra-body={"top_p":0.95,"temperature":0.0}'],
    );
    const t = parityTable('vllm', [vllm], 'ferrum', [ferrum]);
    expect(row(t, 'max_num_seqs')).toMatchObject({
      status: 'equal',
      a: { value: '32', from: '--max-num-seqs' },
      b: { value: '32', from: 'server env FERRUM_PAGED_MAX_SEQS' },
    });
    expect(row(t, 'prefix_caching')).toMatchObject({
      status: 'different',
      a: { value: 'off' },
      b: { value: 'on' },
    });
    expect(row(t, 'cuda_graphs')).toMatchObject({
      status: 'different',
      a: { value: 'off', from: '--enforce-eager' },
      b: { value: 'on' },
    });
    expect(row(t, 'kv_cache_fraction')).toMatchObject({ status: 'unknown', a: { value: '0.9' }, b: null });
    expect(row(t, 'temperature')).toMatchObject({
      status: 'equal',
      a: { value: '0', from: 'request temperature' },
    });
    expect(row(t, 'top_p')).toMatchObject({ status: 'different', a: { value: '0.9' }, b: { value: '0.95' } });
    expect(row(t, 'ignore_eos')).toMatchObject({ status: 'unknown', a: { value: 'on' }, b: null });
    expect(row(t, 'chunked_prefill').a).toEqual({ value: 'on', from: '--enable-chunked-prefill' });
  });

  it('a switch flag followed by a boolean word combines both meanings', () => {
    const a = withServer({ server_args: ['--enable-prefix-caching false', '--enforce-eager=false'] });
    const t = parityTable('a', [a], 'b', [a]);
    expect(row(t, 'prefix_caching').a?.value).toBe('off');
    expect(row(t, 'cuda_graphs').a?.value).toBe('on');
  });

  it('graph-ab fixtures: the FERRUM_* variables are read from the client env, and the extra one is listed', () => {
    const t = parityTable('off', [fixture('graph-ab/graph_off_c1.json')], 'on', [
      fixture('graph-ab/graph_on_c1.json'),
    ]);
    expect(row(t, 'max_num_seqs')).toMatchObject({
      status: 'equal',
      a: { value: '32', from: 'client env FERRUM_PAGED_MAX_SEQS' },
    });
    expect(row(t, 'cuda_graphs')).toMatchObject({ status: 'equal', a: { value: 'on' } });
    expect(t.otherDifferences).toEqual([
      {
        knob: 'FERRUM_VLLM_MOE',
        label: 'FERRUM_VLLM_MOE',
        a: null,
        b: { value: '1', from: 'client env FERRUM_VLLM_MOE' },
        status: 'different',
      },
    ]);
  });

  it('engine-pair fixtures recorded no configuration: every row is unknown', () => {
    const t = parityTable('ferrum', [fixture('engine-pair/ferrum-fa2-direct_c1_n5.json')], 'vllm', [
      fixture('engine-pair/vllm0202_c1_n5.json'),
    ]);
    expect(t.rows.every((r) => r.status === 'unknown' && r.a === null && r.b === null)).toBe(true);
    expect(t.otherDifferences).toEqual([]);
  });

  it('warns when the cells of one side disagree, and when a side is empty', () => {
    const a1 = withServer({ server_args: ['--max-num-seqs 32'] });
    const a2 = withServer({ server_args: ['--max-num-seqs 64'] });
    const t = parityTable('A', [a1, a2], 'B', []);
    expect(t.warnings).toEqual([
      "A: max sequences differs between its cells; the table shows the first cell's",
      'B has no cells: every row is unknown',
    ]);
    expect(row(t, 'max_num_seqs').a?.value).toBe('32');
  });
});
