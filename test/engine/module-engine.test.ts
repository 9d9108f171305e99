import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { loadModuleEngine } from '../../src/engine/module-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describe('loadModuleEngine', () => {
  it('loads a default-exported engine object', async () => {
    const path = moduleFile(
      'ok.mjs',
      'export default { name: "echo", backend: "cpu", async *generate(p, o) { for (let i = 0; i < o.maxTokens; i++) yield { tokens: 1 }; } };',
    );
    const engine = await loadModuleEngine(path);
    expect(engine.name).toBe('echo');
    const chunks = [];
    for await (const c of engine.generate('x', {
      maxTokens: 3,
      seed: 0,
      temperature: 0,
      signal: new AbortController().signal,
      worker: 0,
    }))
      chunks.push(c);
    expect(chunks).toHaveLength(3);
  });

  it('calls a default-exported factory', async () => {
    const path = moduleFile(
      'factory.mjs',
      'export default async () => ({ name: "made", async *generate() { yield {}; } });',
    );
    expect((await loadModuleEngine(path)).name).toBe('made');
  });

  it.each([
    ['none.mjs', 'export const x = 1;', 'no default export'],
    ['noname.mjs', 'export default { async *generate() {} };', 'non-empty string `name`'],
    ['nogen.mjs', 'export default { name: "x" };', '`generate(prompt, options)`'],
    ['badopen.mjs', 'export default { name: "x", generate() {}, open: 3 };', '`open` must be a function'],
    ['throws.mjs', 'export default () => { throw new Error("nope"); };', 'the default export threw: nope'],
    ['syntax.mjs', 'export default {', 'cannot import the module'],
  ])('%s → ENGINE error naming the file', async (name, source, fragment) => {
    const path = moduleFile(name, source);
    await expect(loadModuleEngine(path)).rejects.toSatisfy(
      (e) =>
        isGoodputError(e, 'ENGINE') &&
        (e as Error).message.includes(path) &&
        (e as Error).message.includes(fragment),
    );
  });
});
