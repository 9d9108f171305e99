import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeReportJson } from '../../src/core/schema/json-writer.js';
import { appendixA3Report, appendixA4Report } from '../fixtures/appendix-a-reports.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goodput-envhash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goodput env-hash', () => {
  it('--verify confirms the stored hash of every fixture report', async () => {
    const io = memoryIo();
    expect(await main(['env-hash', '--verify', ...fixtureFiles], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(fixtureFiles.length);
    fixtureFiles.forEach((f, i) => {
      const stored = JSON.parse(readFileSync(f, 'utf8')).env_hash;
      expect(lines[i]).toBe(`${f} ${stored} ok`);
    });
    expect(io.err()).toBe('');
  });

  it('prints <file>#i for files with several cells', async () => {
    const file = join(dir, 'two.jsonl');
    writeFileSync(file, `${writeReportJson(appendixA3Report())}\n${writeReportJson(appendixA4Report())}\n`);
    const io = memoryIo({ cwd: dir });
    expect(await main(['env-hash', 'two.jsonl'], io)).toBe(0);
    const hash = appendixA3Report().env_hash;
    expect(io.out()).toBe(`two.jsonl#0 ${hash}\ntwo.jsonl#1 ${hash}\n`);
  });

  it('exits 1 naming the cell whose env block does not match its hash', async () => {
    const tampered = { ...appendixA4Report(), env: { ...appendixA4Report().env, hw_id: 'rtx-4090' } };
    const file = join(dir, 'tampered.json');
    writeFileSync(file, `[${writeReportJson(appendixA3Report())},${writeReportJson(tampered)}]`);
    const io = memoryIo({ cwd: dir });
    expect(await main(['env-hash', '--verify', 'tampered.json'], io)).toBe(1);
    expect(io.out()).toMatch(
      /^tampered\.json#0 sha256:b588\S+ ok\ntampered\.json#1 sha256:b588\S+ MISMATCH \(recomputed sha256:[0-9a-f]{64}\)\n$/,
    );
    expect(io.err()).toContain('error: 1 of 2 env hashes do not match their env block: tampered.json#1');
    expect(io.err()).toContain('hint: ');
  });

  it('bad input exits 2 with the reader message', async () => {
    const file = join(dir, 'empty.json');
    writeFileSync(file, '');
    const io = memoryIo({ cwd: dir });
    expect(await main(['env-hash', 'empty.json'], io)).toBe(2);
    expect(io.err()).toContain('error: empty.json is empty');
    expect(io.out()).toBe('');
  });
});
