import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { LAYERWISE_FIXTURE, readLayerwiseFixture } from '../core/trace/trace-fixture.js';
import { SVG_DOCUMENT, seriesPaths } from '../render/trace-svg.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-trace-iter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const events = readLayerwiseFixture();

/** Per-iteration sums straight from the file (sorted by ts): a new iteration at each attn on tid 0. */
function plainIterations() {
  const its: { attention: number; moe: number }[] = [];
  for (const e of events) {
    if (e.tid === 0 && e.name === 'attn') its.push({ attention: 0, moe: 0 });
    const it = its[its.length - 1]!;
    if (e.cat === 'attention') it.attention += e.dur;
    else it.moe += e.dur;
  }
  return its;
}

interface IterationsJson {
  marker: { tid: number; name: string; rule: string };
  iterationCount: number;
  preRoll: { label: string; spans: number } | null;
  phases: { phase: string; iterations: number; byCategory: Record<string, { meanUs: number }> }[];
  iterations: { label: string; byCategoryUs: Record<string, number> }[];
}

describe('goodput trace summary --per-iteration on the ferrum fixture', () => {
  it('--json: 205 iterations marked by attn on tid 0, each equal to a plain loop over the file', async () => {
    const r = await run(['trace', 'summary', LAYERWISE_FIXTURE, '--per-iteration', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as IterationsJson;
    expect(j.marker).toEqual({ tid: 0, name: 'attn', rule: 'default' });
    expect(j.iterationCount).toBe(205);
    expect(j.preRoll).toBeNull();
    const plain = plainIterations();
    expect(
      j.iterations.map((i) => ({ attention: i.byCategoryUs.attention, moe: i.byCategoryUs.moe })),
    ).toEqual(plain);
    expect(j.phases.map((p) => [p.phase, p.iterations])).toEqual([
      ['first', 1],
      ['rest', 204],
    ]);
    expect(j.phases[0]?.byCategory.moe?.meanUs).toBe(plain[0]?.moe);
  });

  it('text: the phase summary (prefill vs decode) and one row per iteration', async () => {
    const r = await run(['trace', 'summary', LAYERWISE_FIXTURE, '--per-iteration']);
    expect(r.code).toBe(0);
    const first = plainIterations()[0]!;
    const ms = (us: number) => (us / 1000).toFixed(3);
    expect(r.out).toContain(
      '205 iteration(s); each iteration starts at a span "attn" on tid 0 (default rule',
    );
    expect(r.out).toMatch(new RegExp(`first \\(iteration 0\\)\\s+attention\\s+1\\s+${ms(first.attention)}`));
    expect(r.out).toMatch(/rest \(1\.\.204\)\s+attention\s+204\s/);
    expect(r.out).toMatch(
      new RegExp(`\\n0\\s+0\\.000\\s+96\\s+${ms(first.attention + first.moe)}\\s+${ms(first.attention)}`),
    );
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^204\s/);
  });

  it('--iteration-marker moe: the attn before the first moe is the pre-roll "-"', async () => {
    const r = await run(['trace', 'summary', LAYERWISE_FIXTURE, '--iteration-marker', 'moe', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as IterationsJson;
    expect(j.marker).toEqual({ tid: 0, name: 'moe', rule: 'option' });
    expect(j.iterationCount).toBe(205);
    expect(j.preRoll).toMatchObject({ label: '-', spans: 1 });
    const text = await run(['trace', 'summary', LAYERWISE_FIXTURE, '--iteration-marker', 'moe']);
    expect(text.out).toContain('pre-roll "-": 1 span(s), 19.054 ms before the first marker');
    expect(text.out).toMatch(/\n-\s+0\.000\s+1\s+19\.054/);
  });

  it('a marker that never occurs, or a trace without ts, is a usage/input error naming it', async () => {
    const missing = await run(['trace', 'summary', LAYERWISE_FIXTURE, '--iteration-marker', 'decode_step']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--iteration-marker "decode_step"');
    expect(missing.err).toContain('m3_layerwise_trace.json');
    expect(missing.err).toContain('hint: span names in the trace: attn, moe');
    writeFileSync(
      join(dir, 'nots.json'),
      JSON.stringify([{ name: 'a', cat: 'attention', ph: 'X', dur: 3, tid: 0 }]),
    );
    const noTs = await run(['trace', 'viz', 'nots.json', '--per-iteration']);
    expect(noTs.code).toBe(2);
    expect(noTs.err).toContain('nots.json: no span has a numeric "ts"');
    expect(existsSync(join(dir, 'nots.iterations.svg'))).toBe(false);
  });
});

describe('goodput trace viz --per-iteration', () => {
  it('205 iterations: the first vs the mean of the rest, as SVG beside the trace by default', async () => {
    copyFileSync(LAYERWISE_FIXTURE, join(dir, 'm3.json'));
    const r = await run(['trace', 'viz', 'm3.json', '--per-iteration']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`→ wrote ${join(dir, 'm3.iterations.svg')}`);
    expect(r.err).toContain('rest (1..204)');
    const svg = readFileSync(join(dir, 'm3.iterations.svg'), 'utf8');
    expect(svg).toMatch(SVG_DOCUMENT);
    expect(svg).toContain('per-iteration breakdown');
    expect(svg).toContain('first (iteration 0)');
    expect(svg).toContain('rest: mean of 204');
    // two panels × two categories
    expect(seriesPaths(svg)).toHaveLength(4);
  });

  it('HTML: the chart, the phase table and one row per iteration', async () => {
    const r = await run(['trace', 'viz', LAYERWISE_FIXTURE, '--per-iteration', '--out', 'it.html']);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'it.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('id="phases"');
    expect(html.match(/<tr><td>\d+<\/td>/g)).toHaveLength(205);
  });

  it('a short trace gets one bar per iteration', async () => {
    writeFileSync(join(dir, 'short.json'), JSON.stringify(events.filter((e) => e.ts < 200_000)));
    const r = await run(['trace', 'viz', 'short.json', '--per-iteration', '--out', 'short.svg']);
    expect(r.code).toBe(0);
    const n = events.filter((e) => e.ts < 200_000 && e.tid === 0 && e.name === 'attn').length;
    expect(n).toBeGreaterThan(5);
    const svg = readFileSync(join(dir, 'short.svg'), 'utf8');
    expect(seriesPaths(svg)).toHaveLength(n * 2);
  });
});
