import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { gpt2TokenizerJson } from '../engine/gguf/gpt2-tokenizer-json.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-gguf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('goodput make-tiny-gguf', () => {
  it('writes a GGUF atomically; the same seed writes the same bytes', async () => {
    const a = await run(['make-tiny-gguf', 'a.gguf', '--seed', '9']);
    expect(a.code).toBe(0);
    expect(a.err).toMatch(
      /→ wrote a\.gguf \(\d+ bytes, 542 tokens, tokenizer llama, 2 layers × 64, seed 9\)/,
    );
    await run(['make-tiny-gguf', 'b.gguf', '--seed', '9']);
    await run(['make-tiny-gguf', 'c.gguf', '--seed', '10']);
    const bytes = (f: string) => readFileSync(join(dir, f));
    expect(bytes('a.gguf').subarray(0, 4).toString()).toBe('GGUF');
    expect(bytes('a.gguf').equals(bytes('b.gguf'))).toBe(true);
    expect(bytes('a.gguf').equals(bytes('c.gguf'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes the vocabulary of a tokenizer.json', async () => {
    writeFileSync(join(dir, 'tokenizer.json'), gpt2TokenizerJson());
    const r = await run(['make-tiny-gguf', 'bpe.gguf', '--vocab', 'tokenizer.json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('263 tokens, tokenizer gpt2');
  });

  it.each([
    [['make-tiny-gguf', 'x.gguf', '--seed', '-1'], '--seed -1: expected a non-negative integer'],
    [['make-tiny-gguf', 'x.gguf', '--vocab', 'missing.json'], '--vocab'],
  ])('%j fails with exit 2 and names the flag', async (args, fragment) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(fragment);
  });
});
