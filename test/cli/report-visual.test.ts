import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { sampleRequestFiles } from '../../src/cli/report-visual.js';
import { sweepCells, syntheticRequests } from '../render/html/sweep-data.js';

const root = mkdtempSync(join(tmpdir(), 'goodput-report-visual-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A result directory as bench-serve leaves it: the cells and requests.jsonl. */
function runDir(name: string, perCell: number, corruptLine?: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const cells = sweepCells();
  writeFileSync(join(dir, 'report.json'), JSON.stringify(cells));
  const lines = syntheticRequests(cells, perCell, 16).map((r) => JSON.stringify(r));
  if (corruptLine !== undefined) lines[corruptLine - 1] = '{"id": 3, "cell": "x"}';
  writeFileSync(join(dir, 'requests.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

describe('goodput report --format html|svg|png', () => {
  it('writes one self-contained page with the request-level charts of a run directory', async () => {
    const dir = runDir('run-a', 30);
    const io = memoryIo({ cwd: root });
    const code = await main(['report', '--format', 'html', 'run-a', '--out', 'page.html'], io);
    expect(code, io.err()).toBe(0);
    const html = readFileSync(join(root, 'page.html'), 'utf8');
    expect(html).toContain('data-chart="token-timeline" data-series-marks="20"');
    expect(html).toContain('the empirical CDF of each cell');
    expect(html).toContain(`from <b>${join('run-a', 'report.json')}</b>`);
    expect(dir).toBe(join(root, 'run-a'));
  });

  it('writes one SVG per chart into --out DIR and lists the files on stderr', async () => {
    runDir('run-b', 10);
    const io = memoryIo({ cwd: root });
    expect(await main(['report', '--format', 'svg', 'run-b', '--out', 'charts'], io)).toBe(0);
    const files = readdirSync(join(root, 'charts'));
    expect(files).toContain('token-timeline.svg');
    expect(files).toContain('throughput-vs-latency.svg');
    expect(files.every((f) => f.endsWith('.svg'))).toBe(true);
    expect(io.err()).toContain('wrote ');
    expect(io.err()).toContain('skipped repeat-drift');
  });

  it('asks for --out when a chart format has no directory to write to', async () => {
    runDir('run-c', 2);
    const io = memoryIo({ cwd: root });
    expect(await main(['report', '--format', 'png', 'run-c'], io)).toBe(2);
    expect(io.err()).toContain('--format png writes one file per chart');
    expect(io.err()).toContain('give --out DIR');
  });

  it('names the file and line of a bad request record', async () => {
    runDir('run-d', 2, 3);
    const io = memoryIo({ cwd: root });
    expect(await main(['report', '--format', 'html', 'run-d', '--out', 'd.html'], io)).toBe(2);
    expect(io.err()).toMatch(/requests\.jsonl:3: /);
    expect(existsSync(join(root, 'd.html'))).toBe(false);
  });
});

describe('sampleRequestFiles', () => {
  it('keeps a bounded, order-independent sample per cell and counts every measured record', () => {
    const cells = sweepCells();
    const records = syntheticRequests(cells, 100, 2);
    records.push({ ...records[0]!, id: 'warm', warmup: true });
    const forward = join(root, 'forward.jsonl');
    const backward = join(root, 'backward.jsonl');
    writeFileSync(forward, records.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(
      backward,
      [...records]
        .reverse()
        .map((r) => JSON.stringify(r))
        .join('\r\n'),
    );
    const a = sampleRequestFiles([forward], 10);
    const b = sampleRequestFiles([backward], 10);
    expect(a.total).toBe(400);
    expect(a.records).toHaveLength(40);
    for (const c of cells) expect(a.records.filter((r) => r.cell === c.goodput?.cell_key)).toHaveLength(10);
    expect(new Set(a.records.map((r) => r.id))).toEqual(new Set(b.records.map((r) => r.id)));
  });
});
