// `goodput report` over ledger selectors: a run read from the ledger renders exactly like the files
// it was recorded from, selectors mix with files, and a selector that cannot be resolved names
// itself and the ledger file (exit 2).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLedger } from '../../src/store/ledger.js';
import { FIXTURE_REPORTS, sweepCells, syntheticRequests } from '../render/html/sweep-data.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-report-ledger-'));
const gate = join(FIXTURE_REPORTS, 'release-gate');

/** The four cells of one side of the release-gate fixture as one JSONL file (one run when imported). */
function sideFile(side: 'baseline' | 'candidate'): string {
  // sorted by name: c16, c1, c32, c4
  const files = readdirSync(gate)
    .filter((f) => f.startsWith(`${side}_`))
    .sort();
  const lines = files.map((f) => JSON.stringify(JSON.parse(readFileSync(join(gate, f), 'utf8'))));
  writeFileSync(join(dir, `${side}.jsonl`), `${lines.join('\n')}\n`);
  return `${side}.jsonl`;
}

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  // ./goodput.db (the default --db): run 1 = baseline, run 2 = candidate, imported with the CLI
  for (const side of ['baseline', 'candidate'] as const) {
    const r = await run(['db', 'import', sideFile(side), '--label', side]);
    expect(r.code, r.err).toBe(0);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goodput report with ledger selectors', () => {
  it('renders run:<id>, label:<x> and latest exactly like the files they were imported from', async () => {
    const fromFile = await run(['report', '--format', 'md', 'baseline.jsonl']);
    expect(fromFile.code).toBe(0);
    for (const selector of ['run:1', 'label:baseline']) {
      const fromLedger = await run(['report', '--format', 'md', selector]);
      expect(fromLedger.code, fromLedger.err).toBe(0);
      expect(fromLedger.out).toBe(fromFile.out);
    }
    const latest = await run(['report', 'latest']);
    expect(latest.out).toBe((await run(['report', 'candidate.jsonl'])).out);
    expect(latest.out).toContain('│ TTFT (ms) │');
  });

  it('mixes selectors and files in the order given', async () => {
    const mixed = await run(['report', '--format', 'md', 'label:candidate', 'baseline.jsonl']);
    expect(mixed.code, mixed.err).toBe(0);
    const both = await run(['report', '--format', 'md', 'candidate.jsonl', 'baseline.jsonl']);
    expect(mixed.out).toBe(both.out);
    expect(mixed.out.match(/c=4/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('json: keeps the ledger run as an envelope with its ledger id, label and source', async () => {
    const r = await run(['report', '--format', 'json', 'run:2']);
    expect(r.code, r.err).toBe(0);
    const envelope = JSON.parse(r.out);
    expect(envelope.goodput).toMatchObject({ ledger_id: 2, label: 'candidate', source: 'import' });
    expect(envelope.goodput.source_path).toBe(join(dir, 'candidate.jsonl'));
    expect(envelope.cells.map((c: { concurrency: number }) => c.concurrency)).toEqual([16, 1, 32, 4]);
  });

  it('reads another ledger with --db', async () => {
    const ledger = openLedger(join(dir, 'other.db'));
    const cells = sweepCells();
    ledger.recordRun({ source: 'import', label: 'sweep', cells });
    ledger.close();
    const r = await run(['report', '--format', 'md', '--db', 'other.db', 'label:sweep']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe((await run(['report', '--format', 'md', 'run:1', '--db', join(dir, 'other.db')])).out);
    expect(r.out).not.toBe((await run(['report', '--format', 'md', 'run:1'])).out);
  });

  it('html: charts a ledger run’s stored request records exactly as from its result directory', async () => {
    const runDir = join(dir, 'run-dir');
    mkdirSync(runDir);
    const cells = sweepCells();
    writeFileSync(join(runDir, 'report.json'), JSON.stringify(cells));
    const records = syntheticRequests(cells, 25, 12).map((r) => JSON.stringify(r));
    writeFileSync(join(runDir, 'requests.jsonl'), `${records.join('\n')}\n`);
    const imported = await run(['db', 'import', 'run-dir', '--db', 'requests.db']);
    expect(imported.code, imported.err).toBe(0);

    const fromDir = await run(['report', '--format', 'html', 'run-dir']);
    const fromLedger = await run(['report', '--format', 'html', '--db', 'requests.db', 'latest']);
    expect(fromLedger.code, fromLedger.err).toBe(0);
    const figures = (html: string) => html.match(/<figure class="chart"[\s\S]*?<\/figure>/g) ?? [];
    expect(figures(fromLedger.out).length).toBeGreaterThan(5);
    expect(fromLedger.out).toContain('data-chart="token-timeline" data-series-marks="20"');
    expect(figures(fromLedger.out)).toEqual(figures(fromDir.out));
  });
});

describe('goodput report: selector errors (exit 2)', () => {
  it('names the selectors and the path when there is no ledger', async () => {
    const r = await run(['report', '--db', 'missing.db', 'label:nightly', 'a.json', 'run:3']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `error: ledger selectors "label:nightly", "run:3": no ledger at ${join(dir, 'missing.db')}`,
    );
    expect(r.err).toContain('hint: ');
    expect(readdirSync(dir)).not.toContain('missing.db');
  });

  it.each([['run:9'], ['label:nightly'], ['commit:abcdef0']])(
    'names %s and the ledger when it matches no run',
    async (selector) => {
      const r = await run(['report', selector]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(
        `error: ledger selector "${selector}" matches no run in ${join(dir, 'goodput.db')}`,
      );
      expect(r.err).toContain(`goodput db list --db ${join(dir, 'goodput.db')}`);
    },
  );

  it('rejects a malformed selector before looking for the ledger', async () => {
    const r = await run(['report', '--db', 'missing.db', 'commit:not-hex']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ledger selector "commit:not-hex": "not-hex" is not a commit sha');
  });

  it('asks for an input when none is given', async () => {
    const r = await run(['report', '--format', 'md']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('goodput report needs at least one input');
  });
});
