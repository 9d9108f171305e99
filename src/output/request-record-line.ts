// One request record as its requests.jsonl line: exactly JSON.stringify(record), built faster when
// many output events share a network read (as under load): their equal `event_ms` times are
// formatted once per run of equal values instead of once per event.

import type { RequestRecord } from '../core/schema/request-record.js';

const EVENTS_KEY = '"event_ms":';
const EMPTY_EVENTS = `${EVENTS_KEY}[]`;

/**
 * The JSON text of `record`, byte for byte what JSON.stringify gives. Number formatting dominates
 * the cost of a record (once per output event); when at least two thirds of the `event_ms` values
 * repeat the one before, the array is written from its distinct values instead.
 */
export function requestRecordLine(record: RequestRecord): string {
  // a toJSON method would decide the text itself
  const eventsJson = 'toJSON' in record ? undefined : coalescedNumbersJson(record.event_ms);
  if (eventsJson === undefined) return JSON.stringify(record);
  // the rest of the record as JSON.stringify writes it, with the array spliced back in: the key
  // keeps its place in a spread copy, and `"event_ms":` can only occur in the text as a key
  // (a quote inside a string value is escaped); a second occurrence (a nested key) falls back
  const rest = JSON.stringify({ ...record, event_ms: [] });
  const at = rest.indexOf(EMPTY_EVENTS);
  if (at === -1 || rest.indexOf(EMPTY_EVENTS, at + 1) !== -1) return JSON.stringify(record);
  return `${rest.slice(0, at + EVENTS_KEY.length)}${eventsJson}${rest.slice(at + EMPTY_EVENTS.length)}`;
}

/**
 * JSON.stringify(values) for an array of numbers in which at least two thirds of the values equal
 * the one before; undefined for any other value (the caller stringifies it whole). Each distinct value is
 * formatted once, by JSON.stringify itself (so NaN, Infinity and -0 come out as it writes them).
 */
function coalescedNumbersJson(values: unknown): string | undefined {
  if (!Array.isArray(values)) return undefined;
  const n = values.length;
  let distinct = 0;
  let previous: unknown;
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i];
    // holes and non-numbers: left to JSON.stringify
    if (typeof v !== 'number') return undefined;
    if (i === 0 || v !== previous) distinct++;
    previous = v;
  }
  // below about two repeats per distinct value the splicing costs more than it saves
  if (n === 0 || distinct * 3 > n) return undefined;
  const unique = new Array<number>(distinct);
  const runs = new Array<number>(distinct);
  let k = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (i === 0 || v !== previous) {
      unique[++k] = v;
      runs[k] = 1;
    } else (runs[k] as number)++;
    previous = v;
  }
  const formatted = JSON.stringify(unique);
  let out = '[';
  let from = 1;
  for (let j = 0; j < distinct; j++) {
    // JSON.stringify of a number array separates its elements with single commas, nothing else
    const end = j === distinct - 1 ? formatted.length - 1 : formatted.indexOf(',', from);
    const text = formatted.slice(from, end);
    from = end + 1;
    if (j > 0) out += ',';
    out += text;
    const repeats = (runs[j] as number) - 1;
    if (repeats > 0) out += `,${text}`.repeat(repeats);
  }
  return `${out}]`;
}
