// ferrum's `--output json|jsonl|md` with `--out PATH` (ferrum-behaviour §8.15): json and md
// overwrite (atomically here) or go to stdout; jsonl appends one compact report per line and needs
// --out. One object for one cell, an array for several, as ferrum (readers accept both).

import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { GoodputError } from '../core/errors.js';
import { type BenchReport, BenchReportSchema } from '../core/schema/bench-report.js';
import { writeOrderedJson, writeReportJson } from '../core/schema/json-writer.js';
import { writeFileAtomic } from './atomic-write.js';

export const FERRUM_OUTPUT_FORMATS = ['json', 'jsonl', 'md'] as const;
export type FerrumOutputFormat = (typeof FERRUM_OUTPUT_FORMATS)[number];

/** What to print after writing: the document for stdout, or ferrum's `→ …` note for stderr. */
export interface FerrumOutputResult {
  readonly stdout?: string;
  readonly note?: string;
}

/** ferrum's json document: pretty, one object for one cell, an array for several. */
export function ferrumJson(cells: readonly BenchReport[]): string {
  if (cells.length === 1) return `${writeReportJson(cells[0] as BenchReport, { pretty: true })}\n`;
  return `${writeOrderedJson(cells, z.array(BenchReportSchema), { pretty: true })}\n`;
}

/** Appends cells to a jsonl file, one compact line each. */
export function appendJsonl(path: string, cells: readonly BenchReport[]): FerrumOutputResult {
  if (cells.length === 0) return {};
  try {
    appendFileSync(path, cells.map((c) => `${writeReportJson(c)}\n`).join(''), 'utf8');
  } catch (e) {
    throw new GoodputError('IO', `--out ${path}: cannot append: ${(e as Error).message}`, { cause: e });
  }
  return { note: `→ appended ${cells.length} record(s) to ${path}` };
}

/**
 * Writes json or md (rendered by the caller) to `out`, or returns it for stdout. jsonl goes through
 * appendJsonl as each cell finishes.
 */
export function writeDocument(document: string, out: string | undefined): FerrumOutputResult {
  if (out === undefined) return { stdout: document };
  writeFileAtomic(out, document);
  return { note: `→ wrote ${out}` };
}
