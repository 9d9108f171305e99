// The `--schedule-out` / `--schedule-in` format: a Schedule as JSON that reads back to the exact
// offsets. Parsing is pure (the CLI reads the file); errors name the source and the JSON path.

import { GoodputError } from '../errors.js';
import { formatJsonPath } from '../schema/json-path.js';
import { type Schedule, ScheduleSchema } from './schedule.js';

/** The file text of a schedule (pretty JSON, one offset per line is avoided: offsets stay on one line). */
export function serializeSchedule(schedule: Schedule): string {
  const { offsets_ms, ...head } = schedule;
  const headJson = JSON.stringify(head, null, 2);
  // Shortest round-trip form of every offset (JSON.stringify of a number is exact for doubles).
  return `${headJson.slice(0, -2)},\n  "offsets_ms": [${offsets_ms.map((v) => JSON.stringify(v)).join(',')}]\n}\n`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Parses schedule file text; `source` (the file name) prefixes every error message. */
export function parseScheduleFile(text: string, source: string): Schedule {
  if (text.trim() === '') {
    throw new GoodputError('INPUT_EMPTY', `${source}: the schedule file is empty`, {
      hint: 'write one with --schedule-out first',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GoodputError(
      'INPUT_NOT_JSON',
      `${source}: not a JSON schedule file (${(e as Error).message})`,
      {
        hint: 'pass a file written by --schedule-out',
        cause: e,
      },
    );
  }
  const parsed = ScheduleSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const got = describe(valueAt(raw, issue.path));
      return `${formatJsonPath(issue.path) || '(root)'}: ${issue.message} (got ${got})`;
    });
    throw new GoodputError('INPUT_SCHEMA', `${source}: invalid schedule: ${problems.join('; ')}`, {
      hint: 'pass a file written by --schedule-out (version 1)',
    });
  }
  const offsets = parsed.data.offsets_ms;
  for (let i = 1; i < offsets.length; i++) {
    if ((offsets[i] as number) < (offsets[i - 1] as number)) {
      throw new GoodputError(
        'INPUT_SCHEMA',
        `${source}: offsets_ms[${i}] (${offsets[i]}) is earlier than offsets_ms[${i - 1}] (${offsets[i - 1]})`,
        { hint: 'offsets must be non-decreasing (send order)' },
      );
    }
  }
  return parsed.data;
}
