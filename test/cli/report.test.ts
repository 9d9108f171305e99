import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { REPORT_RENDERERS } from '../../src/cli/report.js';
import { writeReportJson } from '../../src/core/schema/json-writer.js';
import { parseReportFile } from '../../src/core/schema/report-reader.js';
import { createRunEnvelope, writeRunEnvelopeJson } from '../../src/core/schema/run-envelope.js';
import { renderSingle, renderSweep } from '../../src/render/markdown.js';
import { appendixA3Report, appendixA4Report } from '../fixtures/appendix-a-reports.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goodput-report-'));
  writeFileSync(join(dir, 'a3.json'), writeReportJson(appendixA3Report(), { pretty: true }));
  const meta = {
    tool_version: '0.1.0',
    run_id: 'run-7',
    started_at: 'a',
    finished_at: 'b',
    command_line: ['goodput', 'bench-serve'],
  };
  mkdirSync(join(dir, 'run'));
  writeFileSync(
    join(dir, 'run', 'report.json'),
    writeRunEnvelopeJson(createRunEnvelope(meta, [appendixA3Report(), appendixA4Report()])),
  );
  const raw = JSON.parse(writeReportJson(appendixA3Report()));
  raw.ttft_ms.p50.mean = 'fast';
  const envelope = {
    goodput: { ...meta, schema_version: 1 },
    cells: [JSON.parse(writeReportJson(appendixA3Report())), appendixA4Report(), raw],
  };
  writeFileSync(join(dir, 'wrong-type.json'), JSON.stringify(envelope, null, 2));
  writeFileSync(
    join(dir, 'truncated.json'),
    writeReportJson(appendixA3Report(), { pretty: true }).slice(0, 300),
  );
  writeFileSync(join(dir, 'empty.json'), '');
  writeFileSync(join(dir, 'not-json.json'), 'model: m\nbackend: cuda\n');
  writeFileSync(join(dir, 'no-cells.json'), '[]');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('goodput report', () => {
  it('renders every fixture report as md and terminal', async () => {
    for (const file of fixtureFiles) {
      const md = await run(['report', '--format', 'md', file]);
      expect(md.code).toBe(0);
      expect(md.out).toMatch(/^# Qwen\/Qwen3-30B-A3B-GPTQ-Int4 — closed_loop · c=\d+\n\n## Environment\n/);
      const term = await run(['report', file]);
      expect(term.code).toBe(0);
      expect(term.out).toContain('│ TTFT (ms) │');
    }
  });

  it('md: render_single for one cell, render_sweep for several', async () => {
    expect((await run(['report', '--format', 'md', 'a3.json'])).out).toBe(renderSingle(appendixA3Report()));
    const sweep = await run(['report', '--format', 'md', 'run']);
    expect(sweep.out).toBe(renderSweep([appendixA3Report(), appendixA4Report()]));
  });

  it('json: keeps a single envelope, and wraps other inputs in a new one that names them', async () => {
    const kept = await run(['report', '--format', 'json', 'run']);
    expect(kept.code).toBe(0);
    expect(kept.out).toBe(`${readFileSync(join(dir, 'run', 'report.json'), 'utf8')}\n`);
    const merged = await run(['report', '--format', 'json', 'a3.json', 'run']);
    const parsed = parseReportFile(merged.out, 'stdout');
    expect(parsed.shape).toBe('envelope');
    expect(parsed.reports).toEqual([appendixA3Report(), appendixA3Report(), appendixA4Report()]);
    expect(parsed.envelope).toMatchObject({
      schema_version: 1,
      inputs: ['a3.json', join('run', 'report.json')],
      command_line: ['goodput', 'report', '--format', 'json', 'a3.json', 'run'],
    });
    expect(parsed.envelope?.run_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('--out writes the file atomically (no temp file left) and stdout stays empty', async () => {
    const r = await run(['report', '--format', 'md', 'a3.json', '--out', 'out/report.md']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe('→ wrote out/report.md\n');
    expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toBe(renderSingle(appendixA3Report()));
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.md']);
  });

  it.each([
    [
      'wrong-type.json',
      'error: wrong-type.json: cells[2].ttft_ms.p50.mean: expected number, got string "fast"\nhint: Fix or remove the value at that path',
    ],
    ['truncated.json', 'error: truncated.json:'],
    ['empty.json', 'error: empty.json is empty\nhint: '],
    ['not-json.json', "error: not-json.json:1:1: not JSON: unexpected 'm', expected a JSON value\nhint: "],
    ['missing.json', 'error: missing.json does not exist\n'],
    ['no-cells.json', 'error: no report cells in no-cells.json\n'],
  ])('%s: its own message and exit 2, nothing on stdout', async (file, message) => {
    const r = await run(['report', '--format', 'md', file]);
    expect(r.code).toBe(2);
    expect(r.err.startsWith(message)).toBe(true);
    expect(r.out).toBe('');
  });

  it('truncated input says so', async () => {
    expect((await run(['report', 'truncated.json'])).err).toMatch(
      /^error: truncated\.json:\d+:\d+: the file ends in the middle of a JSON value \(truncated\)\n/,
    );
  });

  it('an unknown --format is a usage error (exit 2) listing the formats', async () => {
    const r = await run(['report', '--format', 'pdf', 'a3.json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Allowed choices are terminal, md, json');
  });

  it('exports the format → renderer map for other formats to extend; terminal is the default', () => {
    expect([...REPORT_RENDERERS.keys()].slice(0, 3)).toEqual(['terminal', 'md', 'json']);
  });
});
