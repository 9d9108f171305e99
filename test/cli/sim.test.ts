// `goodput sim` through main(): starts, prints the listening line, serves, stops on interrupt;
// bad flags exit 2 naming the flag.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { LISTENING_PREFIX } from '../../src/server/spawn-simulator.js';
import { chatBody, wireRequest } from '../server/wire-client.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-cli-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitForUrl(io: ReturnType<typeof memoryIo>, exited: Promise<number>): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const line = io
      .out()
      .split('\n')
      .find((l) => l.startsWith(LISTENING_PREFIX));
    if (line) return line.slice(LISTENING_PREFIX.length);
    const done = await Promise.race([
      exited,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 25)),
    ]);
    if (done !== undefined) throw new Error(`sim exited ${done}: ${io.err()}`);
  }
  throw new Error('no listening line');
}

describe('goodput sim', () => {
  it('starts on 127.0.0.1, serves, writes the truth log, and stops on interrupt with exit 0', async () => {
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ stepBaseMs: 0.5 }));
    const truth = join(dir, 'truth.jsonl');
    const io = memoryIo({ cwd: dir });
    const exited = main(
      [
        'sim',
        '--profile',
        'profile.json',
        '--set',
        'maxRunningSeqs=4',
        '--seed',
        '3',
        '--model',
        'm1',
        '--truth-log',
        'truth.jsonl',
      ],
      io,
    );
    const url = await waitForUrl(io, exited);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(io.out()).toBe(`${LISTENING_PREFIX}${url}\n`);
    const models = JSON.parse((await wireRequest(url, '/v1/models')).body);
    expect(models.data[0].id).toBe('m1');
    const res = await wireRequest(url, '/v1/chat/completions', {
      body: chatBody('hello', { max_tokens: 4, ignore_eos: true }),
    });
    expect(res.status).toBe(200);
    io.interrupt();
    expect(await exited).toBe(0);
    expect(io.err()).toContain('goodput sim stopped');
    expect((await wireRequest(url, '/health')).error).toBe('ECONNREFUSED');
    const lines = readFileSync(truth, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).token_epoch_ms).toHaveLength(4);
  });

  it.each([
    [['sim', '--host', '0.0.0.0'], '--host 0.0.0.0: not a loopback address'],
    [['sim', '--port', '70000'], '--port 70000'],
    [['sim', '--seed', '-1'], '--seed -1'],
    [['sim', '--faults', 'http_500'], '--faults: http_500 needs :RATE'],
    [['sim', '--profile', 'missing.json'], '--profile missing.json: cannot read'],
    [['sim', '--set', 'stepBaseMs=-3'], '--set: stepBaseMs'],
    [['sim', '--set', 'speed=3'], 'unknown profile field "speed"'],
    [['sim', '--preset', 'huge'], 'huge'],
  ])('%j exits 2 naming the problem', async (args, message) => {
    const io = memoryIo({ cwd: dir });
    expect(await main(args, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('a profile file that is not JSON is named with the line and column where it breaks', async () => {
    writeFileSync(join(dir, 'broken.json'), '{\n  "stepBaseMs": 20,\n}');
    writeFileSync(join(dir, 'cut.json'), '{"stepBaseMs": ');
    const io = memoryIo({ cwd: dir });
    expect(await main(['sim', '--profile', 'broken.json'], io)).toBe(2);
    expect(io.err()).toContain('--profile broken.json:3:1 is not valid JSON: unexpected');
    expect(await main(['sim', '--profile', 'cut.json'], io)).toBe(2);
    expect(io.err()).toContain('--profile cut.json:1:16 is not valid JSON (the file is cut short)');
  });

  it('a bad profile file is named with the field', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ maxRunningSeqs: 0 }));
    const io = memoryIo({ cwd: dir });
    expect(await main(['sim', '--profile', path], io)).toBe(2);
    expect(io.err()).toContain(`${path}: maxRunningSeqs`);
  });

  it('--help lists the faults and examples', async () => {
    const io = memoryIo();
    expect(await main(['sim', '--help'], io)).toBe(0);
    expect(io.out()).toContain('reject_stream_options');
    expect(io.out()).toContain('--truth-log');
  });
});
