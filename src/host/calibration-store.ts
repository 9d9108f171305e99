// Where this machine's calibration lives: `$XDG_CACHE_HOME/goodput/calibration.json` (default
// `~/.cache/goodput/calibration.json`), or the file `--calibration FILE` names. Written atomically;
// a stored calibration of another machine (a shared home directory) is not applied to this one.

import { readFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import {
  type Calibration,
  parseCalibration,
  serializeCalibration,
} from '../core/client-health/calibration.js';
import { GoodputError } from '../core/errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';

/** The default calibration file for this user, from the environment (XDG_CACHE_HOME, HOME). */
export function defaultCalibrationPath(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const cache = env.XDG_CACHE_HOME ?? (env.HOME === undefined ? undefined : join(env.HOME, '.cache'));
  return cache === undefined || cache === '' ? undefined : join(cache, 'goodput', 'calibration.json');
}

/** What a calibration belongs to: platform, architecture, CPU model × count, Node version. */
export function machineFingerprint(): string {
  const list = cpus();
  const model = (list[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return `${platform()} ${arch()} · ${list.length} × ${model} · node ${process.version}`;
}

/** Writes the calibration atomically (parent directories created). */
export function writeCalibration(path: string, calibration: Calibration): void {
  writeFileAtomic(path, serializeCalibration(calibration));
}

export interface LoadedCalibration {
  readonly calibration: Calibration | undefined;
  readonly path: string | undefined;
  /** why a stored calibration was not used, for the console */
  readonly note?: string;
}

/**
 * The calibration to apply. `explicit` (the --calibration flag) must exist and parse, and is
 * used even when it was measured elsewhere (with a note). The default file may be missing (no
 * calibration, no note); one from another machine is skipped with a note.
 */
export function loadCalibration(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  machine: string = machineFingerprint(),
): LoadedCalibration {
  const path = explicit ?? defaultCalibrationPath(env);
  if (path === undefined) return { calibration: undefined, path };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (explicit === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT')
      return { calibration: undefined, path };
    throw new GoodputError('INPUT_MISSING', `--calibration ${path}: ${(e as Error).message}`, {
      hint: 'run `goodput calibrate --out FILE` to write one, or leave --calibration out',
    });
  }
  const calibration = parseCalibration(text, explicit === undefined ? path : `--calibration ${path}`);
  if (calibration.machine !== undefined && calibration.machine !== machine) {
    const note = `the calibration in ${path} was measured on another machine (${calibration.machine})`;
    if (explicit === undefined)
      return { calibration: undefined, path, note: `${note}; not applied (run \`goodput calibrate\` here)` };
    return { calibration, path, note: `${note}; applied because --calibration names it` };
  }
  return { calibration, path };
}
