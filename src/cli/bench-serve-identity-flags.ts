// bench-serve's identity flags: what the run records about itself (--tag, --label, --hw-id,
// --commit-sha) and about the server it measures (--server-args, --server-env), for comparability.

import type { FlagValidation } from './bench-serve-flag-validation.js';
import { parseKeyValueFlag } from './bench-serve-flag-values.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';

export interface IdentityFlags {
  readonly tag?: string;
  readonly label?: string;
  readonly hwId?: string;
  readonly commitSha?: string;
  /** --server-args split into words */
  readonly serverArgs?: string[];
  readonly serverEnv: Record<string, string>;
}

/** Splits `--server-args` like a shell would for plain words and quotes (no expansion). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    out.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3] ?? '');
  return out;
}

/** The identity flags. Problems go to `v`, each naming its flag. */
export function identityFlags(raw: RawBenchServeOptions, v: FlagValidation): IdentityFlags {
  const serverEnv: Record<string, string> = {};
  for (const kv of raw.serverEnv) {
    const r = v.take(parseKeyValueFlag('--server-env', kv), ['', ''] as [string, string]);
    if (r[0] !== '') serverEnv[r[0]] = r[1];
  }
  const serverArgs = raw.serverArgs === undefined ? undefined : splitArgs(raw.serverArgs);
  for (const [flag, value] of [
    ['--tag', raw.tag],
    ['--label', raw.label],
    ['--hw-id', raw.hwId],
    ['--commit-sha', raw.commitSha],
  ] as const) {
    if (value !== undefined && value.trim() === '') v.push(`${flag} is empty`);
  }
  return {
    ...(raw.tag === undefined ? {} : { tag: raw.tag }),
    ...(raw.label === undefined ? {} : { label: raw.label }),
    ...(raw.hwId === undefined ? {} : { hwId: raw.hwId }),
    ...(raw.commitSha === undefined ? {} : { commitSha: raw.commitSha }),
    ...(serverArgs === undefined ? {} : { serverArgs }),
    serverEnv,
  };
}
