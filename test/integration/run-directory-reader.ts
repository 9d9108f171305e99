// Reads back a run directory written by bench-serve for the integration tests: every JSONL line
// parsed (a bad line fails the test with its number), report.json parsed and schema-validated.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { type RequestRecord, RequestRecordSchema } from '../../src/core/schema/request-record.js';
import { RunEnvelopeSchema } from '../../src/core/schema/run-envelope.js';
import { validateJsonSchema } from '../core/schema/json-schema-validator.js';

const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '../../schema/bench-report.schema.json');

export interface RunDirectoryContents {
  readonly requests: RequestRecord[];
  readonly cells: unknown[];
  readonly envelope: { goodput: Record<string, unknown>; cells: BenchReport[] };
  /** JSON Schema problems of every cell in report.json and cells.jsonl (empty when valid) */
  readonly schemaProblems: string[];
}

function jsonl(path: string): unknown[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${path}: the last line is not terminated`);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as unknown;
      } catch (e) {
        throw new Error(`${path}:${i + 1}: ${(e as Error).message}`);
      }
    });
}

export function readRunDirectory(dir: string): RunDirectoryContents {
  const requests = jsonl(join(dir, 'requests.jsonl')).map((r) => RequestRecordSchema.parse(r));
  const cells = jsonl(join(dir, 'cells.jsonl'));
  const envelope = RunEnvelopeSchema.parse(
    JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')),
  ) as RunDirectoryContents['envelope'];
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const rawEnvelope = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { cells: unknown[] };
  const schemaProblems = [...rawEnvelope.cells, ...cells].flatMap((c, i) =>
    validateJsonSchema(schema, c).map((p) => `cell ${i}: ${p}`),
  );
  return { requests, cells, envelope, schemaProblems };
}
