import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchReportJsonSchema, benchReportJsonSchemaText } from '../../../src/core/schema/json-schema.js';
import { writeReportJson } from '../../../src/core/schema/json-writer.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';
import { appendixA3Report, appendixA4Report, sampleExtension } from '../../fixtures/appendix-a-reports.js';
import { validateJsonSchema } from './json-schema-validator.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/bench-report.schema.json', import.meta.url));
const REPORTS_DIR = fileURLToPath(new URL('../../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);

describe('schema/bench-report.schema.json', () => {
  it('is up to date with the zod schemas (regenerate: npx tsx scripts/gen-schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(benchReportJsonSchemaText());
  });

  it('is draft 2020-12 with named definitions and ferrum field order', () => {
    const schema = benchReportJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.$defs as object)).toEqual(
      expect.arrayContaining(['ScalarStats', 'Env', 'GoodputExtension']),
    );
    const props = Object.keys(schema.properties as object);
    expect(props.slice(0, 3)).toEqual(['model', 'backend', 'scenario']);
    expect(props.slice(-2)).toEqual(['env_hash', 'goodput']);
  });

  const reportsGoodputWrites = () => [
    ['A.3', appendixA3Report()],
    ['A.4', appendixA4Report()],
    [
      'A.3 with the extension',
      { ...appendixA3Report(), goodput: sampleExtension({ knee: { is_knee: true } }) },
    ],
    ...fixtureFiles.map((f) => [
      `rewritten ${f.slice(REPORTS_DIR.length + 1)}`,
      parseReports(readFileSync(f, 'utf8'), f)[0],
    ]),
  ];

  it.each(reportsGoodputWrites())('validates the report goodput writes: %s', (_name, report) => {
    const written = JSON.parse(writeReportJson(report as Parameters<typeof writeReportJson>[0]));
    expect(validateJsonSchema(benchReportJsonSchema(), written)).toEqual([]);
  });

  it('validates the original 0.7.7 files too (null SLO, missing defaulted fields)', () => {
    for (const f of fixtureFiles)
      expect(validateJsonSchema(benchReportJsonSchema(), JSON.parse(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('rejects what the reader rejects, with a path (the validator checks)', () => {
    const raw = JSON.parse(writeReportJson(appendixA3Report()));
    raw.ttft_ms.p50.mean = 'fast';
    raw.completed_per_run = [4, -1, 4];
    delete raw.env_hash;
    const errors = validateJsonSchema(benchReportJsonSchema(), raw);
    expect(errors).toEqual(
      expect.arrayContaining([
        '.ttft_ms.p50.mean: expected number',
        '.completed_per_run[1]: below 0',
        '(root): missing env_hash',
      ]),
    );
  });
});
