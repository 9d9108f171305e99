// Loads a user engine module (`goodput bench --engine ./my-engine.js`): its default export is an
// EngineAdapter, or a function (sync or async) returning one. The shape is checked before any
// request, and every problem names the file.

import { pathToFileURL } from 'node:url';
import { GoodputError } from '../core/errors.js';
import type { EngineAdapter } from './engine-adapter.js';

const HINT =
  'export default { name: "my-engine", async *generate(prompt, { maxTokens, signal }) { yield { tokens: 1 } } } (see docs/engine-adapter.md)';

function checkAdapter(value: unknown, path: string): EngineAdapter {
  const fail = (what: string): never => {
    throw new GoodputError('ENGINE', `--engine ${path}: ${what}`, { hint: HINT });
  };
  if (typeof value !== 'object' || value === null)
    return fail(`the default export must be an engine object, got ${value === null ? 'null' : typeof value}`);
  const a = value as Record<string, unknown>;
  if (typeof a.name !== 'string' || a.name.trim() === '') fail('the engine needs a non-empty string `name`');
  if (typeof a.generate !== 'function')
    fail('the engine needs a `generate(prompt, options)` function returning an async iterable');
  for (const key of ['open', 'close', 'countTokens'] as const) {
    if (a[key] !== undefined && typeof a[key] !== 'function')
      fail(`\`${key}\` must be a function when present`);
  }
  for (const key of ['backend', 'model'] as const) {
    if (a[key] !== undefined && typeof a[key] !== 'string') fail(`\`${key}\` must be a string when present`);
  }
  return value as EngineAdapter;
}

/** Imports `path` (absolute) and returns its checked engine. */
export async function loadModuleEngine(path: string): Promise<EngineAdapter> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    throw new GoodputError('ENGINE', `--engine ${path}: cannot import the module: ${(e as Error).message}`, {
      hint: HINT,
    });
  }
  let exported = mod.default;
  if (exported === undefined)
    throw new GoodputError('ENGINE', `--engine ${path}: the module has no default export`, { hint: HINT });
  if (typeof exported === 'function') {
    try {
      exported = await (exported as () => unknown)();
    } catch (e) {
      throw new GoodputError(
        'ENGINE',
        `--engine ${path}: the default export threw: ${(e as Error).message}`,
        { hint: HINT },
      );
    }
  }
  return checkAdapter(exported, path);
}
