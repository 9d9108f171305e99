import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseDurationFlag,
  parseIntFlag,
  parseListFlag,
  parseSloFlag,
} from '../../src/cli/bench-serve-flag-values.js';
import {
  type RawBenchServeOptions,
  splitArgs,
  validateBenchServeOptions,
} from '../../src/cli/bench-serve-options.js';
import { redactArgv, redactServerArgs, redactServerEnv } from '../../src/cli/bench-serve-session.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { UNBOUNDED_SLO_MS } from '../../src/core/schema/bench-report.js';
import { DEFAULTS } from './bench-serve-raw-defaults.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-bs-options-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const validate = (over: Partial<RawBenchServeOptions>, env: Record<string, string> = {}) =>
  validateBenchServeOptions({ ...DEFAULTS, ...over }, tmp, env);

describe('ferrum’s flag value syntax', () => {
  it.each([
    ['ttft:500 tpot:50 e2el:30000', [500, 50, 30000]],
    ['ttft:500,tpot:50,e2e:30000', [500, 50, 30000]],
    ['ttft:1 ttft:2, tpot:3 e2el:4', [2, 3, 4]],
    ['ttft:500', [500, UNBOUNDED_SLO_MS, UNBOUNDED_SLO_MS]],
  ])('--goodput %j', (raw, [t, p, e]) => {
    const r = parseSloFlag('--goodput', raw);
    expect(r).toEqual({ ok: true, value: { ttft_p99_ms: t, tpot_p99_ms: p, e2e_p99_ms: e } });
  });

  it.each([
    ['ttft:0', /positive number/],
    ['ttft:abc', /positive number/],
    ['latency:5', /unknown SLO key "latency"/],
    ['', /expected e\.g\./],
  ])('--goodput %j is refused', (raw, message) => {
    const r = parseSloFlag('--goodput', raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(message);
  });

  it('durations, integer ranges and lists', () => {
    expect(parseDurationFlag('--duration', '2m')).toEqual({ ok: true, value: 120_000 });
    expect(parseDurationFlag('--duration', '500ms')).toEqual({ ok: true, value: 500 });
    expect(parseDurationFlag('--duration', '1.5')).toEqual({ ok: true, value: 1500 });
    expect(parseDurationFlag('--duration', '0s').ok).toBe(false);
    expect(parseIntFlag('--n', '4294967296', 1).ok).toBe(false);
    expect(parseIntFlag('--n', '1.5', 1).ok).toBe(false);
    expect(parseListFlag('--s', '1, 4,16', (t) => parseIntFlag('--s', t, 1))).toEqual({
      ok: true,
      value: [1, 4, 16],
    });
    expect(parseListFlag('--s', '1,,4', (t) => parseIntFlag('--s', t, 1)).ok).toBe(false);
  });

  it('splitArgs splits like a shell for words and quotes', () => {
    expect(splitArgs(`--max-num-seqs 64 --name "a b" --x 'c d'`)).toEqual([
      '--max-num-seqs',
      '64',
      '--name',
      'a b',
      '--x',
      'c d',
    ]);
  });
});

describe('validateBenchServeOptions: the cell plan', () => {
  it('defaults to one closed-loop cell at c=32 against the simulator', () => {
    const o = validate({});
    expect(o.address).toBeUndefined();
    expect(o.cells).toEqual([{ kind: 'closed', concurrency: 32 }]);
    expect(o.nRepeats).toBe(3);
    expect(o.db).toBe(join(tmp, 'goodput.db'));
  });

  it('--max-concurrency is ferrum’s alias of --concurrency in a closed loop, a cap in an open loop', () => {
    expect(validate({ maxConcurrency: '8' }).cells).toEqual([{ kind: 'closed', concurrency: 8 }]);
    expect(validate({ requestRate: '4', maxConcurrency: '8' }).cells).toEqual([
      { kind: 'open', rateRps: 4, burstiness: 1, maxConcurrency: 8 },
    ]);
  });

  it('sweeps give one cell per value, in order, duplicates kept', () => {
    expect(
      validate({ concurrencySweep: '4,1,4' }).cells.map((c) => (c.kind === 'closed' ? c.concurrency : 0)),
    ).toEqual([4, 1, 4]);
    expect(validate({ rateSweep: '1,2.5', burstiness: '0.5' }).cells).toEqual([
      { kind: 'open', rateRps: 1, burstiness: 0.5 },
      { kind: 'open', rateRps: 2.5, burstiness: 0.5 },
    ]);
  });

  it('--schedule-in defines the open cell and the number of requests', () => {
    const path = join(tmp, 's.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        profile: { kind: 'poisson', rate_rps: 5 },
        seed: 1,
        offsets_ms: [0, 10, 30],
      }),
    );
    const o = validate({ scheduleIn: 's.json' });
    expect(o.numPrompts).toBe(3);
    expect(o.cells[0]).toMatchObject({ kind: 'open', rateRps: 5 });
  });

  it('reports every problem together, each naming its flag', () => {
    try {
      validate({
        numPrompts: '0',
        goodput: 'ttft:x',
        output: 'jsonl',
        timeout: '-1',
        requestRate: '2',
        concurrencySweep: '1,2',
        nRepeats: '2',
        requireCi: true,
        interleave: true,
        header: ['nocolon'],
        apiKeyEnv: 'NOPE_KEY',
        endpoint: 'embeddings',
        dataset: 'csv',
        simFaults: 'nosuchfault@1',
        extraBody: '{"stream":false}',
      });
      expect.unreachable();
    } catch (e) {
      const m = (e as Error).message;
      for (const flag of [
        '--num-prompts',
        '--goodput',
        '--output jsonl needs --out',
        '--timeout',
        'cannot be mixed',
        '--require-ci needs --n-repeats ≥ 3',
        '--header "nocolon"',
        '--api-key-env NOPE_KEY',
        '--endpoint "embeddings"',
        '--dataset "csv"',
        '--sim-faults',
        '--extra-body must not set "stream"',
      ]) {
        expect(m).toContain(flag);
      }
    }
  });

  it('more conflicts: --burstiness needs a rate, --interleave a sweep, --schedule-out one open cell, --warmup-seconds a warmup', () => {
    expect(() => validate({ burstiness: '2' })).toThrow(/--burstiness shapes open-loop arrivals/);
    expect(() => validate({ interleave: true })).toThrow(/--interleave .* needs a sweep/);
    expect(() => validate({ scheduleOut: 'x.json' })).toThrow(/--schedule-out .* needs exactly one/);
    expect(() => validate({ warmupSeconds: '5', warmupRequests: '0' })).toThrow(
      /--warmup-seconds needs --warmup-requests ≥ 1/,
    );
    expect(() => validate({ baseUrl: 'http://h:1', simPreset: 'tiny' })).toThrow(
      /--sim-preset and --sim-faults configure the built-in simulator/,
    );
    expect(() => validate({ dataset: 'sharegpt' })).toThrow(
      /--dataset-path is required for --dataset sharegpt/,
    );
    expect(() => validate({ dataset: 'jsonl', datasetPath: 'missing.jsonl' })).toThrow(
      /missing\.jsonl: no such file/,
    );
  });

  it('the API key comes from the named variable only', () => {
    expect(validate({ apiKeyEnv: 'MY_KEY' }, { MY_KEY: 'k' }).apiKey).toBe('k');
  });
});

describe('bench-serve through main()', () => {
  it('--help lists the flags and examples, exit 0', async () => {
    const io = memoryIo({ cwd: tmp });
    expect(await main(['bench-serve', '--help'], io)).toBe(0);
    for (const flag of [
      '--concurrency-sweep',
      '--rate-sweep',
      '--goodput',
      '--api-key-env',
      '--out-dir',
      'Examples:',
    ])
      expect(io.out()).toContain(flag);
  });

  it('bad flags exit 2 before any request (no simulator is started)', async () => {
    const io = memoryIo({ cwd: tmp });
    expect(await main(['bench-serve', '--num-prompts', '0', '--goodput', 'nope:1'], io)).toBe(2);
    expect(io.err()).toMatch(/2 problems/);
    expect(io.err()).not.toMatch(/started the built-in simulator/);
  });

  it('a dataset file with bad lines stops the run before the simulator is started', async () => {
    const file = join(tmp, 'bad-lines.jsonl');
    writeFileSync(file, '{"prompt": "hi"}\nnot json\n{"prompt": 3}\n');
    const io = memoryIo({ cwd: tmp });
    const args = ['bench-serve', '--dataset', 'jsonl', '--dataset-path', file, '--num-prompts', '2'];
    expect(await main([...args, '--no-db', '--out-dir', join(tmp, 'bad-lines-run')], io)).toBe(2);
    expect(io.err()).toContain('bad-lines.jsonl:2: not valid JSON');
    expect(io.err()).toContain('bad-lines.jsonl:3: "prompt" must be a non-empty string');
    expect(io.err()).not.toMatch(/started the built-in simulator/);
  });

  it('a tokenizer file that is not JSON stops the run before the simulator is started', async () => {
    const file = join(tmp, 'tokenizer.json');
    writeFileSync(file, '{"model": {"vocab": ');
    const io = memoryIo({ cwd: tmp });
    const args = ['bench-serve', '--tokenizer', file, '--num-prompts', '2'];
    expect(await main([...args, '--no-db', '--out-dir', join(tmp, 'bad-tokenizer-run')], io)).toBe(2);
    expect(io.err()).toContain(`tokenizer ${file}:1:21 is not valid JSON (the file is cut short)`);
    expect(io.err()).not.toMatch(/started the built-in simulator/);
  });

  it('an --out-dir that is a file stops the run before the simulator is started', async () => {
    const file = join(tmp, 'out-is-a-file');
    writeFileSync(file, 'x');
    const io = memoryIo({ cwd: tmp });
    expect(await main(['bench-serve', '--num-prompts', '2', '--no-db', '--out-dir', file], io)).toBe(1);
    expect(io.err()).toContain(`cannot create --out-dir ${file}`);
    expect(io.err()).not.toMatch(/started the built-in simulator/);
  });

  it('a --base-url pasted without http:// gets the line to write instead, exit 2', async () => {
    const io = memoryIo({ cwd: tmp });
    expect(await main(['bench-serve', '--base-url', 'localhost:8000'], io)).toBe(2);
    expect(io.err()).toContain('--base-url "localhost:8000" must start with http:// or https://');
    expect(io.err()).toContain('write --base-url http://localhost:8000');
  });

  it('a server that does not answer: says it waits and for how long, then fails naming what each route said', async () => {
    // a port nobody listens on: bind one, then close it
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const io = memoryIo({ cwd: tmp });
    const out = join(tmp, 'unreachable');
    const args = ['bench-serve', '--base-url', `http://127.0.0.1:${port}`, '--ready-timeout', '1'];
    expect(await main([...args, '--no-db', '--out-dir', out], io)).toBe(1);
    expect(io.err()).toContain(`waiting up to 1 s (--ready-timeout) for http://127.0.0.1:${port} to answer`);
    expect(io.err()).toMatch(/not ready within 1 s \(tried GET .*\/health → ECONNREFUSED/);
    // nothing was measured, so no result directory is left behind
    expect(existsSync(out)).toBe(false);
  });

  it('the recorded command line has secret header values removed', () => {
    expect(
      redactArgv([
        'goodput',
        'bench-serve',
        '--header',
        'Authorization: Bearer x',
        '--header=X-Token: y',
        '--server-env',
        'HF_TOKEN=z',
        '--server-env',
        'A=b',
      ]),
    ).toEqual([
      'goodput',
      'bench-serve',
      '--header',
      'Authorization: <redacted>',
      '--header=X-Token: <redacted>',
      '--server-env',
      'HF_TOKEN=<redacted>',
      '--server-env',
      'A=b',
    ]);
    expect(redactArgv(['--server-args', '--api-key sk-9 --max-num-seqs 64'])).toEqual([
      '--server-args',
      '--api-key <redacted> --max-num-seqs 64',
    ]);
    expect(redactServerArgs(['--hf-token=abc', '--tp', '2', '--api-key', 'x'])).toEqual([
      '--hf-token=<redacted>',
      '--tp',
      '2',
      '--api-key',
      '<redacted>',
    ]);
    expect(redactServerEnv({ HF_TOKEN: 'x', CUDA_VISIBLE_DEVICES: '0' })).toEqual({
      HF_TOKEN: '<redacted>',
      CUDA_VISIBLE_DEVICES: '0',
    });
  });
});
