// The run envelope, the shape of a run directory's report.json (SPEC §3.7, ferrum-behaviour §13.4
// item 32): `{"goodput": {run metadata}, "cells": [BenchReport…]}`. Always an envelope, whatever
// the number of cells; `cells.jsonl` beside it holds the same cells as plain ferrum reports.

import { z } from 'zod';
import { type BenchReport, BenchReportSchema } from './bench-report.js';
import { GOODPUT_SCHEMA_VERSION } from './extension.js';
import { type JsonWriteOptions, writeOrderedJson } from './json-writer.js';

/** Metadata of one goodput invocation. Loose: fields added later survive a read → write. */
export const RunMetadataSchema = z.looseObject({
  schema_version: z.int().min(1),
  tool_version: z.string(),
  run_id: z.string(),
  /** wall-clock start and end, ISO 8601 UTC */
  started_at: z.string(),
  finished_at: z.string(),
  /** the full command line, argv[0] first */
  command_line: z.array(z.string()),
  /** set when the run was stopped early (Ctrl-C); the cells are the ones that completed */
  interrupted: z.boolean().optional(),
  /** for an envelope assembled by `goodput report` from other files: where its cells came from */
  inputs: z.array(z.string()).optional(),
});
export type RunMetadata = z.infer<typeof RunMetadataSchema>;

export const RunEnvelopeSchema = z.looseObject({
  goodput: RunMetadataSchema,
  cells: z.array(BenchReportSchema),
});
export type RunEnvelope = z.infer<typeof RunEnvelopeSchema>;

/** The metadata a producer supplies; `schema_version` is added by createRunEnvelope. */
export interface RunMetadataFields {
  tool_version: string;
  run_id: string;
  started_at: string;
  finished_at: string;
  command_line: string[];
  interrupted?: boolean;
  inputs?: string[];
}

/** Builds an envelope around cells; `schema_version` is goodput's current one. */
export function createRunEnvelope(meta: RunMetadataFields, cells: readonly BenchReport[]): RunEnvelope {
  return { goodput: { schema_version: GOODPUT_SCHEMA_VERSION, ...meta }, cells: [...cells] };
}

/** Serialises an envelope in declared order (pretty by default: report.json is read by people too). */
export function writeRunEnvelopeJson(
  envelope: RunEnvelope,
  opts: JsonWriteOptions = { pretty: true },
): string {
  return writeOrderedJson(envelope, RunEnvelopeSchema, opts);
}

/** True when a parsed JSON value looks like an envelope rather than a report (it has `cells`, no `model`). */
export function looksLikeRunEnvelope(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'cells' in value &&
    !('model' in value)
  );
}
