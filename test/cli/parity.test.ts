import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeReportJson } from '../../src/core/schema/json-writer.js';
import { parseReports } from '../../src/core/schema/report-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const reports = resolve(here, '../../../shared/fixtures/ferrum/reports');

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'goodput-parity-cli-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = memoryIo({ cwd });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** A fixture cell re-labelled as an engine run that recorded its server flags. */
function engineReport(
  name: string,
  tag: string,
  serverArgs: string[],
  serverEnv: Record<string, string>,
): string {
  const path = join(reports, 'engine-pair/vllm0202_c1_n5.json');
  const r = parseReports(readFileSync(path, 'utf8'), path)[0]!;
  r.model = `${r.model}#${tag}`;
  r.goodput = { schema_version: 1, server: { server_args: serverArgs, server_env: serverEnv } };
  const file = join(cwd, name);
  writeFileSync(file, writeReportJson(r));
  return file;
}

describe('goodput parity', () => {
  it('prints the checklist with equal / different / unknown rows and their sources', async () => {
    const vllm = engineReport(
      'vllm.json',
      'vllm',
      ['--max-num-seqs 32 --dtype float16 --enable-prefix-caching'],
      {},
    );
    const ferrum = engineReport('ferrum.json', 'ferrum', [], {
      FERRUM_PAGED_MAX_SEQS: '32',
      FERRUM_PREFIX_CACHE: '0',
    });
    const r = await run('parity', vllm, ferrum, '--label-a', 'vllm', '--label-b', 'ferrum');
    expect(r.code).toBe(0);
    expect(r.out).toContain('# Configuration parity');
    expect(r.out).toContain('| knob | vllm | ferrum | parity |');
    expect(r.out).toContain(
      '| max sequences | 32 (--max-num-seqs) | 32 (server env FERRUM_PAGED_MAX_SEQS) | ✓ equal |',
    );
    expect(r.out).toContain(
      '| prefix caching | on (--enable-prefix-caching) | off (server env FERRUM_PREFIX_CACHE) | ⚠ different |',
    );
    expect(r.out).toContain('| dtype | float16 (--dtype) | ? | ? unknown |');
    expect(r.out).toContain('Confirm the ⚠ and ? rows before trusting any ratio');
  });

  it('--format json gives the table as data', async () => {
    const r = await run(
      'parity',
      join(reports, 'graph-ab/graph_off_c4.json'),
      join(reports, 'graph-ab/graph_on_c4.json'),
      '--format',
      'json',
    );
    const t = JSON.parse(r.out) as {
      rows: Array<{ knob: string; status: string }>;
      otherDifferences: Array<{ knob: string }>;
    };
    expect(t.rows.find((x) => x.knob === 'cuda_graphs')?.status).toBe('equal');
    expect(t.otherDifferences.map((x) => x.knob)).toEqual(['FERRUM_VLLM_MOE']);
  });

  it('compare of two tagged engines shows the parity table above the comparison', async () => {
    const vllm = engineReport('vllm.json', 'vllm', ['--max-num-seqs 32'], {});
    const ferrum = engineReport('ferrum.json', 'ferrum', [], { FERRUM_PAGED_MAX_SEQS: '32' });
    const r = await run('compare', ferrum, vllm);
    expect(r.out).toContain('## Configuration parity');
    expect(r.out.indexOf('## Configuration parity')).toBeLessThan(r.out.indexOf('## Qwen'));
    expect(r.out).toContain('engine ferrum');
    expect(r.out).toContain('engine vllm');
  });

  it('needs two sides', async () => {
    const r = await run('parity', join(reports, 'graph-ab/graph_off_c4.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected two inputs');
  });
});
