// One pass of bench-serve's flag validation: collects every problem of the command line, each naming
// its flag, so they are reported together in one USAGE error; path flags resolve against the cwd.

import { resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { Parsed } from './bench-serve-flag-values.js';

export class FlagValidation {
  /** every problem found so far, in the order the flags are checked */
  readonly problems: string[] = [];

  constructor(private readonly cwd: string) {}

  push(...problems: string[]): void {
    this.problems.push(...problems);
  }

  /** The parsed value, or `fallback` once its problem is recorded. */
  take<T>(parsed: Parsed<T>, fallback: T): T {
    if (parsed.ok) return parsed.value;
    this.problems.push(parsed.problem);
    return fallback;
  }

  /** undefined for an absent flag; otherwise as `take`. */
  optional<T>(value: string | undefined, parse: (v: string) => Parsed<T>, fallback: T): T | undefined {
    return value === undefined ? undefined : this.take(parse(value), fallback);
  }

  /** A path flag resolved against the cwd; undefined for an absent flag. */
  path(p: string): string;
  path(p: string | undefined): string | undefined;
  path(p: string | undefined): string | undefined {
    return p === undefined ? undefined : resolve(this.cwd, p);
  }

  /** Throws one USAGE GoodputError listing every problem, when there is any. */
  throwIfAny(): void {
    const problems = this.problems;
    if (problems.length === 0) return;
    throw new GoodputError(
      'USAGE',
      problems.length === 1
        ? (problems[0] as string)
        : `${problems.length} problems:\n  ${problems.join('\n  ')}`,
      {
        hint: 'run goodput bench-serve --help for the flags and examples',
      },
    );
  }
}
