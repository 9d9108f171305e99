import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoodputError } from '../../src/core/errors.js';
import { writeReportJson } from '../../src/core/schema/json-writer.js';
import { createRunEnvelope, writeRunEnvelopeJson } from '../../src/core/schema/run-envelope.js';
import { loadReportInputs } from '../../src/input/read-reports.js';
import { appendixA3Report, appendixA4Report } from '../fixtures/appendix-a-reports.js';

const FIXTURE = fileURLToPath(
  new URL('../../../shared/fixtures/ferrum/reports/engine-pair/vllm0202_c4_n5.json', import.meta.url),
);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goodput-input-'));
  const meta = {
    tool_version: '0.1.0',
    run_id: 'r1',
    started_at: 'a',
    finished_at: 'b',
    command_line: ['goodput'],
  };
  mkdirSync(join(dir, 'run-complete'));
  writeFileSync(
    join(dir, 'run-complete', 'report.json'),
    writeRunEnvelopeJson(createRunEnvelope(meta, [appendixA3Report(), appendixA4Report()])),
  );
  writeFileSync(join(dir, 'run-complete', 'cells.jsonl'), `${writeReportJson(appendixA3Report())}\n`);
  mkdirSync(join(dir, 'run-interrupted'));
  writeFileSync(join(dir, 'run-interrupted', 'cells.jsonl'), `${writeReportJson(appendixA4Report())}\n`);
  mkdirSync(join(dir, 'not-a-run'));
  writeFileSync(join(dir, 'broken.json'), '{"model": ');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<GoodputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GoodputError) return e;
    throw e;
  }
  throw new Error('expected a GoodputError');
}

describe('loadReportInputs', () => {
  it('reads files and result directories, preferring report.json, in the given order', async () => {
    const inputs = await loadReportInputs([FIXTURE, join(dir, 'run-complete'), join(dir, 'run-interrupted')]);
    expect(inputs.map((i) => [i.source, i.shape, i.reports.length])).toEqual([
      [FIXTURE, 'object', 1],
      [join(dir, 'run-complete', 'report.json'), 'envelope', 2],
      // one line of JSONL is also one JSON object
      [join(dir, 'run-interrupted', 'cells.jsonl'), 'object', 1],
    ]);
    expect(inputs[1]?.envelope?.run_id).toBe('r1');
    expect(inputs[2]?.reports[0]?.scenario).toBe('open_loop');
  });

  it('resolves relative paths against cwd and keeps them as given in sources', async () => {
    const [input] = await loadReportInputs(['run-interrupted'], { cwd: dir });
    expect(input?.source).toBe(join('run-interrupted', 'cells.jsonl'));
  });

  it('names the path that is missing, empty of results, or broken', async () => {
    const missing = await rejection(loadReportInputs([join(dir, 'nope.json')]));
    expect(missing.code).toBe('INPUT_MISSING');
    expect(missing.message).toBe(`${join(dir, 'nope.json')} does not exist`);
    const notRun = await rejection(loadReportInputs([join(dir, 'not-a-run')]));
    expect(notRun.code).toBe('INPUT_MISSING');
    expect(notRun.message).toContain('is a directory without report.json or cells.jsonl');
    const broken = await rejection(loadReportInputs([FIXTURE, join(dir, 'broken.json')]));
    expect(broken.code).toBe('INPUT_TRUNCATED');
    expect(broken.message.startsWith(`${join(dir, 'broken.json')}:1:11:`)).toBe(true);
  });
});
