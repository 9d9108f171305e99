// Profile JSONL: lines split and numbered as Rust's `str::lines` (a trailing CR dropped), trimmed,
// blank lines skipped, each line parsed as serde_json would and checked as a ProfileEvent.
// ferrum stops at the first bad line (§5.7); goodput also collects EVERY bad line (§13.5 item 39).

import { type ProfileEvent, ProfileEventError, parseProfileEventValue, rustTrim } from './profile-event.js';
import { parseSerdeJson } from './serde-json-parse.js';

export interface ProfileLine {
  /** 1-based line number */
  readonly line: number;
  readonly event: ProfileEvent;
}

export interface ProfileLineError {
  readonly line: number;
  /** ferrum's message without the line prefix, e.g. `missing required field: commit_sha` */
  readonly message: string;
}

export interface ProfileJsonlResult {
  readonly events: readonly ProfileLine[];
  readonly errors: readonly ProfileLineError[];
}

/** `line N: <message>`, ferrum's format. */
export function formatProfileLineError(e: ProfileLineError): string {
  return `line ${e.line}: ${e.message}`;
}

/** Rust's `str::lines`: split on \n, drop one trailing \r per line, no empty last line. */
function rustLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Parses every line, keeping the good events and every bad line's error. */
export function parseProfileJsonlAll(text: string): ProfileJsonlResult {
  const events: ProfileLine[] = [];
  const errors: ProfileLineError[] = [];
  rustLines(text).forEach((raw, idx) => {
    const line = idx + 1;
    const trimmed = rustTrim(raw);
    if (trimmed === '') return;
    const parsed = parseSerdeJson(trimmed);
    if (!parsed.ok) {
      errors.push({ line, message: `invalid JSON: ${parsed.message}` });
      return;
    }
    try {
      events.push({ line, event: parseProfileEventValue(parsed.value, parsed.topLevelNumbers) });
    } catch (e) {
      if (!(e instanceof ProfileEventError)) throw e;
      errors.push({ line, message: e.message });
    }
  });
  return { events, errors };
}

/** ferrum's fail-fast parse: the events, or the first bad line's error. */
export function parseProfileJsonl(
  text: string,
):
  | { readonly ok: true; readonly events: readonly ProfileEvent[] }
  | { readonly ok: false; readonly error: ProfileLineError } {
  const { events, errors } = parseProfileJsonlAll(text);
  const first = errors[0];
  return first ? { ok: false, error: first } : { ok: true, events: events.map((l) => l.event) };
}

/** ferrum's `require_profile_event_groups`: the message when a required event name never appears. */
export function missingProfileGroups(
  events: readonly ProfileEvent[],
  required: readonly string[],
): string | undefined {
  const missing = required.filter((name) => !events.some((e) => e.event === name));
  return missing.length === 0 ? undefined : `missing profile event groups: ${missing.join(', ')}`;
}
