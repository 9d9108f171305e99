import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { LAYERWISE_FIXTURE, readLayerwiseFixture } from '../core/trace/trace-fixture.js';
import { SVG_DOCUMENT, seriesPaths } from '../render/trace-svg.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-trace-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const events = readLayerwiseFixture();
let moeUs = 0;
let attentionUs = 0;
for (const e of events) {
  if (e.cat === 'moe') moeUs += e.dur;
  else attentionUs += e.dur;
}

beforeAll(() => {
  copyFileSync(LAYERWISE_FIXTURE, join(dir, 'base.json'));
  // B: every moe span twice as long, gzip-compressed (detected by its magic bytes)
  writeFileSync(
    join(dir, 'moe2x.json.gz'),
    gzipSync(JSON.stringify(events.map((e) => (e.name === 'moe' ? { ...e, dur: e.dur * 2 } : e)))),
  );
  writeFileSync(join(dir, 'half.json'), JSON.stringify(events.filter((e) => e.tid < 24)));
});

interface ComparisonJson {
  sources: { a: string; b: string };
  labelA: string;
  labelB: string;
  normalisation: { kind: string; iterationsA?: number; iterationsB?: number };
  byCategory: { category: string; aUs: number; bUs: number; deltaUs: number; ratio: number }[];
  total: { ratio: number };
  layers: unknown[];
  topLayerChanges: { tid: number }[];
  sameLayers: boolean;
}

describe('goodput trace summary A --compare B', () => {
  it('--json: moe ratio 2 and attention ratio 1 against a gzip copy, labels from the file names', async () => {
    const r = await run(['trace', 'summary', 'base.json', '--compare', 'moe2x.json.gz', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as ComparisonJson;
    expect(j.sources).toEqual({ a: 'base.json', b: 'moe2x.json.gz' });
    expect([j.labelA, j.labelB]).toEqual(['base', 'moe2x']);
    expect(j.normalisation).toEqual({ kind: 'total' });
    expect(j.byCategory.map((d) => [d.category, d.aUs, d.bUs, d.deltaUs, d.ratio])).toEqual([
      ['attention', attentionUs, attentionUs, 0, 1],
      ['moe', moeUs, 2 * moeUs, moeUs, 2],
    ]);
    expect(j.total.ratio).toBeCloseTo((attentionUs + 2 * moeUs) / (attentionUs + moeUs), 12);
    expect(j.sameLayers).toBe(true);
    expect(j.layers).toHaveLength(48);
    expect(j.topLayerChanges[0]?.tid).toBe(0);
  });

  it('--per-iteration: each trace divided by its own 205 iterations, and said so', async () => {
    const r = await run([
      'trace',
      'summary',
      'base.json',
      '--compare',
      'moe2x.json.gz',
      '--per-iteration',
      '--json',
    ]);
    const j = JSON.parse(r.out) as ComparisonJson;
    expect(j.normalisation).toEqual({ kind: 'per-iteration', iterationsA: 205, iterationsB: 205 });
    expect(j.byCategory[1]?.aUs).toBeCloseTo(moeUs / 205, 9);
    expect(j.byCategory.map((d) => d.ratio)).toEqual([1, 2]);
    const text = await run([
      'trace',
      'summary',
      'base.json',
      '--compare',
      'moe2x.json.gz',
      '--per-iteration',
    ]);
    expect(text.out).toContain('normalisation: per iteration');
    expect(text.out).toContain('(A: 205, B: 205)');
    expect(text.out).toMatch(/moe\s+[\d.]+\s+[\d.]+\s+\+[\d.]+\s+2\.000\s/);
  });

  it('text: labels overridable; the top layer changes; a note when the layers differ', async () => {
    const r = await run([
      'trace',
      'summary',
      'base.json',
      '--compare',
      'half.json',
      '--label-a',
      'main',
      '--label-b',
      'pr-42',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('compare A = main (base.json) with B = pr-42 (half.json)');
    expect(r.out).toContain('normalisation: none');
    expect(r.out).toContain(
      'NOTE: the traces have different layers (A: 48 tids, B: 24 tids); per-layer deltas cover the 24 tid(s) in both; only in A: 24–47',
    );
    expect(r.out).toContain('top 10 layer change(s) by |delta|:');
  });

  it('bad input names the flag and the file: unreadable, not a trace, no usable spans, stray labels', async () => {
    const missing = await run(['trace', 'summary', 'base.json', '--compare', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error: --compare nope.json: cannot read trace');
    writeFileSync(join(dir, 'broken.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    const broken = await run(['trace', 'viz', 'base.json', '--compare', 'broken.json.gz']);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('--compare broken.json.gz');
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify([{ name: 'process_name', ph: 'M', pid: 0, tid: 0 }]),
    );
    const empty = await run(['trace', 'summary', 'base.json', '--compare', 'meta.json']);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('--compare meta.json: meta.json: no complete ("ph":"X") events');
    writeFileSync(
      join(dir, 'renamed.json'),
      JSON.stringify(events.map((e) => ({ ...e, name: `op_${e.name}` }))),
    );
    const marker = await run([
      'trace',
      'summary',
      'base.json',
      '--compare',
      'renamed.json',
      '--iteration-marker',
      'attn',
    ]);
    expect(marker.code).toBe(2);
    expect(marker.err).toContain(
      '--compare renamed.json: --iteration-marker "attn": no span of renamed.json has that name',
    );
    const stray = await run(['trace', 'summary', 'base.json', '--label-b', 'x']);
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('--label-b labels a compared trace and needs --compare');
    const same = await run([
      'trace',
      'summary',
      'base.json',
      '--compare',
      'half.json',
      '--label-a',
      'x',
      '--label-b',
      'x',
    ]);
    expect(same.code).toBe(2);
    expect(same.err).toContain('--label-a and --label-b are both "x"');
  });
});

describe('goodput trace viz A --compare B', () => {
  it('same layers: A and B side by side per layer (SVG beside A by default)', async () => {
    const r = await run(['trace', 'viz', 'base.json', '--compare', 'moe2x.json.gz']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`→ wrote ${join(dir, 'base-vs-moe2x.svg')}`);
    const svg = readFileSync(join(dir, 'base-vs-moe2x.svg'), 'utf8');
    expect(svg).toMatch(SVG_DOCUMENT);
    expect(svg).toContain('base vs moe2x');
    expect(svg).toContain('layer (tid)');
    const bars = seriesPaths(svg);
    expect(bars).toHaveLength(48 * 2 * 2);
    // B (lighter) has one moe bar per layer
    expect(bars.filter((p) => p.includes('fill="#ff725c"') && p.includes('opacity="0.5"'))).toHaveLength(48);
  });

  it('different layer counts: per category, with the note; HTML page with both labels', async () => {
    const r = await run([
      'trace',
      'viz',
      'base.json',
      '--compare',
      'half.json',
      '--per-iteration',
      '--format',
      'html',
      '--out',
      'cmp.html',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('NOTE: the traces have different layers (A: 48 tids, B: 24 tids)');
    const html = readFileSync(join(dir, 'cmp.html'), 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('per category, time per iteration');
    expect(html).toContain('time per iteration (ms)');
    expect(html).toContain('per iteration (A: 205, B: 205)');
    expect(seriesPaths(html)).toHaveLength(2 * 2);
    // every layer of A is listed; the 24 only in A have no delta
    expect(html.match(/<td class="num">—<\/td><td class="num">—<\/td><td class="num">—<\/td>/g)).toHaveLength(
      24,
    );
  });
});
