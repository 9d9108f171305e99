// Reads report text in every shape ferrum and goodput have written (SPEC §2.1): one BenchReport
// object, an array, JSONL, 0.7.7's alphabetically sorted keys and null SLO fields, and goodput's
// run envelope. Each failure is a GoodputError with its own code, naming the source and the place.

import type { z } from 'zod';
import { GoodputError } from '../errors.js';
import { type BenchReport, BenchReportSchema } from './bench-report.js';
import { formatJsonPath } from './json-path.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { looksLikeRunEnvelope, RunEnvelopeSchema, type RunMetadata } from './run-envelope.js';

export type ReportFileShape = 'object' | 'array' | 'jsonl' | 'envelope';

export interface ParsedReportFile {
  readonly shape: ReportFileShape;
  readonly reports: BenchReport[];
  /** the run metadata when the text was a goodput run envelope */
  readonly envelope?: RunMetadata;
}

const SHAPES_HINT =
  'goodput reads ferrum BenchReport JSON (one object, an array of them, or one per line as JSONL) and goodput report.json envelopes ({"goodput": {...}, "cells": [...]}).';
const MAX_ISSUES_SHOWN = 5;

/** Parses report text; `source` (a file name) prefixes every error message. */
export function parseReports(text: string, source: string): BenchReport[] {
  return parseReportFile(text, source).reports;
}

/** Like parseReports, and says which shape the text had and returns an envelope's run metadata. */
export function parseReportFile(text: string, source: string): ParsedReportFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\S/.test(body)) {
    throw new GoodputError('INPUT_EMPTY', `${source} is empty`, {
      hint: `It holds no report. ${SHAPES_HINT}`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (parseError) {
    const jsonl = parseJsonLines(body, source);
    if (jsonl !== undefined) return jsonl;
    throw syntaxError(body, source, undefined, parseError);
  }
  return fromJsonValue(value, source);
}

function fromJsonValue(value: unknown, source: string): ParsedReportFile {
  if (Array.isArray(value)) {
    const reports = value.map((item, i) => validateReport(item, source, `[${i}]`));
    return { shape: 'array', reports };
  }
  if (looksLikeRunEnvelope(value)) {
    const envelope = validate(RunEnvelopeSchema, value, source, '');
    return { shape: 'envelope', reports: envelope.cells, envelope: envelope.goodput };
  }
  if (typeof value === 'object' && value !== null)
    return { shape: 'object', reports: [validateReport(value, source, '')] };
  throw new GoodputError(
    'INPUT_SCHEMA',
    `${source}: expected a report object, an array of reports or a run envelope, got ${jsonType(value)}`,
    {
      hint: SHAPES_HINT,
    },
  );
}

/** JSONL: several non-blank lines of which the first is a complete JSON value on its own. */
function parseJsonLines(body: string, source: string): ParsedReportFile | undefined {
  const lines = body.split(/\r\n|\n|\r/);
  const numbered = lines.map((text, i) => ({ text, line: i + 1 })).filter((l) => l.text.trim() !== '');
  const first = numbered[0];
  if (numbered.length < 2 || first === undefined || !parsesAlone(first.text)) return undefined;
  const reports = numbered.map(({ text, line }) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (parseError) {
      throw syntaxError(text, source, line, parseError);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new GoodputError(
        'INPUT_SCHEMA',
        `${source}: line ${line}: expected a report object, got ${jsonType(value)}`,
        {
          hint: SHAPES_HINT,
        },
      );
    }
    return validateReport(value, source, '', `line ${line}: `);
  });
  return { shape: 'jsonl', reports };
}

function parsesAlone(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The error for text JSON.parse rejected; `jsonlLine` is the file line when `text` is one JSONL line. */
function syntaxError(
  text: string,
  source: string,
  jsonlLine: number | undefined,
  parseError: unknown,
): GoodputError {
  const problem = findJsonSyntaxProblem(text);
  if (problem === undefined) {
    const detail = parseError instanceof Error ? parseError.message : String(parseError);
    return new GoodputError('INPUT_NOT_JSON', `${source}: not valid JSON (${detail})`, { hint: SHAPES_HINT });
  }
  const line = jsonlLine ?? problem.line;
  const where = `${source}:${line}:${problem.column}`;
  if (problem.truncated) {
    const what = jsonlLine === undefined ? 'the file ends' : `line ${line} ends`;
    return new GoodputError(
      'INPUT_TRUNCATED',
      `${where}: ${what} in the middle of a JSON value (truncated)`,
      {
        hint: 'The file was cut short, for example by a run interrupted while writing it. Restore the complete file or re-run the benchmark.',
      },
    );
  }
  return new GoodputError('INPUT_NOT_JSON', `${where}: not JSON: ${problem.message}`, { hint: SHAPES_HINT });
}

function validateReport(value: unknown, source: string, path: string, prefix = ''): BenchReport {
  return validate(BenchReportSchema, value, source, path, prefix);
}

function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  path: string,
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => describeIssue(issue, value, path));
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((text, i) => (i === 0 ? text : `\n  also ${text}`));
  const more = issues.length > MAX_ISSUES_SHOWN ? `\n  … and ${issues.length - MAX_ISSUES_SHOWN} more` : '';
  return fail(`${source}: ${prefix}${shown.join('')}${more}`);
}

function fail(message: string): never {
  throw new GoodputError('INPUT_SCHEMA', message, {
    hint: `Fix or remove the value at that path, or regenerate the file. ${SHAPES_HINT}`,
  });
}

type Issue = z.core.$ZodIssue;

/** `cells[2].ttft_ms.p50.mean: expected number, got string` */
function describeIssue(issue: Issue, root: unknown, basePath: string): string {
  const path = formatJsonPath(issue.path, basePath);
  const actual = valueAt(root, issue.path);
  const label = path === '' ? 'the report' : path;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'integer' : issue.expected;
      if (actual === undefined) return `${label}: required field is missing (expected ${expected})`;
      return `${label}: expected ${expected}, got ${jsonType(actual)}${scalarSuffix(actual)}`;
    }
    case 'invalid_union': {
      const expected = [
        ...new Set(
          issue.errors.flatMap((branch) =>
            branch.filter((i) => i.code === 'invalid_type').map((i) => i.expected),
          ),
        ),
      ];
      const wanted = expected.length > 0 ? expected.join(' or ') : 'another value';
      if (actual === undefined) return `${label}: required field is missing (expected ${wanted})`;
      return `${label}: expected ${wanted}, got ${jsonType(actual)}${scalarSuffix(actual)}`;
    }
    case 'invalid_value':
      return `${label}: got ${JSON.stringify(actual)}, expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `${label}: got ${JSON.stringify(actual)}, expected ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`;
    case 'too_big':
      return `${label}: got ${JSON.stringify(actual)}, expected ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`;
    default:
      return `${label}: ${issue.message}${actual === undefined ? '' : `, got ${jsonType(actual)}${scalarSuffix(actual)}`}`;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'undefined' ? 'nothing' : typeof value;
}

function scalarSuffix(value: unknown): string {
  if (typeof value === 'string')
    return ` ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` ${String(value)}`;
  return '';
}
