import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = resolve(here, '../../../shared/fixtures/ferrum/trace/m3_layerwise_trace.json');
const dir = mkdtempSync(join(tmpdir(), 'goodput-trace-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

type Ev = { cat: string; dur: number; tid: number; ph: string };
const fixtureEvents = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Ev[];

/** The sums computed straight from the file, independently of goodput's breakdown. */
function directSums(events: readonly Ev[]) {
  let attention = 0;
  let moe = 0;
  for (const e of events) {
    if (e.cat === 'attention') attention += e.dur;
    else if (e.cat === 'moe') moe += e.dur;
  }
  return { attention, moe, total: attention + moe };
}

describe('goodput trace on the ferrum layer-wise fixture', () => {
  it('summary --json: attn/attention counts as attention and the totals equal a direct sum', async () => {
    const r = await run(['trace', 'summary', FIXTURE, '--json']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as {
      totalsUs: Record<string, number>;
      totalUs: number;
      categories: string[];
      unknownCategories: unknown[];
      layers: { tid: number; totalUs: number }[];
      truncated: boolean;
    };
    const direct = directSums(fixtureEvents);
    expect(b.categories).toEqual(['attention', 'moe']);
    expect(b.totalsUs.attention).toBe(direct.attention);
    expect(b.totalsUs.moe).toBe(direct.moe);
    expect(b.totalUs).toBe(direct.total);
    expect(b.totalsUs.other).toBe(0);
    expect(b.unknownCategories).toEqual([]);
    expect(b.layers).toHaveLength(48);
    expect(b.truncated).toBe(false);
  });

  it('summary prints the totals table with percentages', async () => {
    const r = await run(['trace', 'summary', FIXTURE]);
    const direct = directSums(fixtureEvents);
    const share = ((direct.attention / direct.total) * 100).toFixed(1);
    expect(r.out).toMatch(new RegExp(`attention\\s+${(direct.attention / 1000).toFixed(3)}\\s+${share} %`));
    expect(r.out).toContain('19680 complete events on 48 layer(s)');
  });

  it('viz writes an SVG chart with one bar segment per layer and category', async () => {
    const r = await run(['trace', 'viz', FIXTURE, '--out', 'm3.svg']);
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'm3.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('attention');
    expect(svg).toContain('layer (tid)');
    expect((svg.match(/<path[^>]*fill="#4269d0"/g) ?? []).length).toBeGreaterThanOrEqual(48);
  });

  it('viz writes PNG and a self-contained HTML page', async () => {
    expect((await run(['trace', 'viz', FIXTURE, '--out', 'm3.png'])).code).toBe(0);
    const png = readFileSync(join(dir, 'm3.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(
      (await run(['trace', 'viz', FIXTURE, '--format', 'html', '--out', 'm3.html', '--title', '<b>m3</b>']))
        .code,
    ).toBe(0);
    const html = readFileSync(join(dir, 'm3.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('&lt;b&gt;m3&lt;/b&gt;');
    expect(html).toContain('attn, self_attn');
  });

  it('reads gzip and a truncated streamed trace, and counts unknown categories as other', async () => {
    const events = [
      { name: 'attn', cat: 'attn', ph: 'X', ts: 0, dur: 100, pid: 0, tid: 1 },
      { name: 'x', cat: 'decode_step', ph: 'X', ts: 0, dur: 50, pid: 0, tid: 0 },
      { name: 'moe', cat: 'moe', ph: 'X', ts: 0, dur: 25, pid: 0, tid: 1 },
    ];
    const streamed = `{"traceEvents":[\n${events.map((e) => JSON.stringify(e)).join(',\n')},\n{"name":"cut","ca`;
    writeFileSync(join(dir, 'cut.json.gz'), gzipSync(streamed));
    const r = await run(['trace', 'summary', 'cut.json.gz', '--json']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as {
      truncated: boolean;
      totalsUs: Record<string, number>;
      unknownCategories: { raw: string }[];
    };
    expect(b.truncated).toBe(true);
    expect(b.totalsUs).toMatchObject({ attention: 100, moe: 25, other: 50 });
    expect(b.unknownCategories.map((u) => u.raw)).toEqual(['decode_step']);
    const text = await run(['trace', 'summary', 'cut.json.gz']);
    expect(text.out).toContain('TRUNCATED');
    expect(text.out).toContain('"decode_step": 1 event(s)');
  });

  it('filters by name prefix and fails clearly when nothing is left or the file is not a trace', async () => {
    const none = await run(['trace', 'summary', FIXTURE, '--name-prefix', 'nope']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no complete ("ph":"X") events');
    writeFileSync(join(dir, 'bad.json'), 'hello');
    const bad = await run(['trace', 'viz', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('bad.json');
    const missing = await run(['trace', 'summary', 'missing.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('ENOENT');
  });
});
