// Reads the text of a Chrome trace: a bare array of events (ferrum's flush format) or an object
// with `traceEvents` (goodput's streamed format), including a file cut off mid-write — the
// complete events before the cut are recovered and the result says it was truncated.

import { GoodputError } from '../errors.js';

export interface ParsedTrace {
  /** every element of the event array, unvalidated (the breakdown checks what it uses) */
  readonly events: readonly unknown[];
  readonly format: 'array' | 'object';
  /** true when the text ended before the array closed (a crashed or still-running writer) */
  readonly truncated: boolean;
}

function notTrace(path: string, what: string): never {
  throw new GoodputError('INPUT_SCHEMA', `${path}: ${what}`, {
    hint: 'a Chrome trace is a JSON array of events or an object with a "traceEvents" array',
  });
}

/**
 * Scans the elements of a JSON array starting just after its `[` at `start`. Returns the text of
 * each complete element and whether the array closed. Stops at the first element the text ends in.
 */
function scanArrayElements(
  text: string,
  start: number,
): { elements: string[]; closed: boolean; end: number } {
  const elements: string[] = [];
  let i = start;
  const n = text.length;
  const skipWs = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  for (;;) {
    skipWs();
    if (i >= n) return { elements, closed: false, end: i };
    if (text[i] === ']') return { elements, closed: true, end: i + 1 };
    if (text[i] === ',') {
      i++;
      continue;
    }
    // one element: track strings and nesting; an object or array ends where its nesting closes,
    // a scalar at the next top-level , or ]
    const elementStart = i;
    let depth = 0;
    let inString = false;
    let closedContainer = false;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          i++;
          closedContainer = true;
          break;
        }
      } else if (c === ',' && depth === 0) break;
    }
    if (i >= n && !closedContainer) return { elements, closed: false, end: i };
    // an empty element (a stray `}`) is pushed as is: JSON.parse rejects it and names it
    elements.push(text.slice(elementStart, i));
    if (i === elementStart) return { elements, closed: false, end: i };
  }
}

/** The byte offset just after the `[` of the event array, or -1 when there is none. */
function arrayStart(text: string): { index: number; format: 'array' | 'object' } {
  const lead = text.search(/\S/);
  if (lead >= 0 && text[lead] === '[') return { index: lead + 1, format: 'array' };
  const m = /"traceEvents"\s*:\s*\[/.exec(text);
  return { index: m ? m.index + m[0].length : -1, format: 'object' };
}

/**
 * Parses a trace's text. `path` only names the file in errors. A truncated streamed file
 * (`{"traceEvents":[…` without its end) yields the events that were complete.
 */
export function parseTraceText(text: string, path: string): ParsedTrace {
  if (text.trim() === '') throw new GoodputError('INPUT_EMPTY', `${path}: the trace file is empty`);
  let doc: unknown;
  let syntaxError: string | undefined;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    syntaxError = (e as Error).message;
  }
  if (syntaxError === undefined) {
    if (Array.isArray(doc)) return { events: doc, format: 'array', truncated: false };
    if (typeof doc === 'object' && doc !== null && 'traceEvents' in doc) {
      const events = (doc as { traceEvents: unknown }).traceEvents;
      if (!Array.isArray(events)) notTrace(path, `traceEvents: expected an array, got ${typeof events}`);
      return { events, format: 'object', truncated: false };
    }
    notTrace(path, 'expected an array of events or an object with "traceEvents"');
  }
  const { index, format } = arrayStart(text);
  if (index < 0) {
    throw new GoodputError('INPUT_NOT_JSON', `${path}: not a JSON trace (${syntaxError})`, {
      hint: 'a Chrome trace is a JSON array of events or an object with a "traceEvents" array',
    });
  }
  const scan = scanArrayElements(text, index);
  // a complete element that is not JSON is damage, not a cut-off write: parseElements names it
  const events = parseElements(scan.elements, path, index, text);
  if (scan.closed && format === 'array') {
    throw new GoodputError('INPUT_NOT_JSON', `${path}: invalid JSON after the event array (${syntaxError})`);
  }
  // the array never closed, or the object's tail after it was cut: keep every complete event
  return { events, format, truncated: true };
}

function parseElements(elements: readonly string[], path: string, offset: number, text: string): unknown[] {
  return elements.map((el, i) => {
    try {
      return JSON.parse(el) as unknown;
    } catch (e) {
      const at = text.indexOf(el, offset);
      const line = text.slice(0, at).split('\n').length;
      throw new GoodputError(
        'INPUT_NOT_JSON',
        `${path}:${line}: event ${i}: invalid JSON (${(e as Error).message})`,
      );
    }
  });
}
