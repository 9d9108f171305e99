// The default name of a run directory (SPEC §3.7): goodput-results/<local timestamp>-<label>/,
// with a numeric suffix when that directory already exists. `now` is passed in.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `YYYYMMDD-HHMMSS` in local time: the prefix of run directories and run ids. */
export function timestampName(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `<cwd>/goodput-results/<timestamp>-<label>` (label made file-name safe), suffixed `-2`, `-3`… if taken. */
export function defaultRunDir(cwd: string, label: string, now: Date): string {
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'run';
  const base = join(cwd, 'goodput-results', `${timestampName(now)}-${safe}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}
