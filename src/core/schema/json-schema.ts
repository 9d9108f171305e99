// The JSON Schema (draft 2020-12) of a BenchReport with its goodput extension, generated from the
// same zod schemas as the types (SPEC §2.1). In "input" form, so that files of every ferrum
// version validate: defaulted fields are optional and the SLO thresholds may be null.
// scripts/gen-schema.ts writes it to schema/bench-report.schema.json; a test keeps them equal.

import { z } from 'zod';
import * as report from './bench-report.js';
import * as extension from './extension.js';

export const BENCH_REPORT_SCHEMA_ID = 'urn:goodput:schema:bench-report';

/** Named $defs for the shared sub-schemas (otherwise zod numbers them). */
function definitions(): z.core.$ZodRegistry<{ id?: string; title?: string; description?: string }> {
  const registry = z.registry<{ id?: string; title?: string; description?: string }>();
  const named: Array<[z.core.$ZodType, string]> = [
    [report.ScalarStatsSchema, 'ScalarStats'],
    [report.MetricSetSchema, 'MetricSet'],
    [report.TokenLengthStatsSchema, 'TokenLengthStats'],
    [report.QualityIssueCountsSchema, 'QualityIssueCounts'],
    [report.RepeatPercentilesSchema, 'RepeatPercentiles'],
    [report.RequestItlEvidenceSchema, 'RequestItlEvidence'],
    [report.ItlEligibilityCountsSchema, 'ItlEligibilityCounts'],
    [report.BenchRepeatMetricsSchema, 'BenchRepeatMetrics'],
    [report.SloSchema, 'Slo'],
    [report.EnvSchema, 'Env'],
    [report.RuntimeConfigSnapshotSchema, 'RuntimeConfigSnapshot'],
    [report.RuntimeConfigEntrySchema, 'RuntimeConfigEntry'],
    [extension.GoodputExtensionSchema, 'GoodputExtension'],
    [extension.PooledPercentileSchema, 'PooledPercentile'],
    [extension.PooledMetricSchema, 'PooledMetric'],
    [extension.RepeatStatsSchema, 'RepeatStats'],
  ];
  for (const [schema, id] of named) registry.add(schema, { id });
  registry.add(report.BenchReportSchema, {
    title: 'BenchReport',
    description:
      "One benchmark cell (a configuration × n_repeats): ferrum's locked report fields in their declared order, then goodput's `goodput` extension object.",
  });
  return registry;
}

/** The JSON Schema as a plain object. */
export function benchReportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(report.BenchReportSchema, {
    target: 'draft-2020-12',
    io: 'input',
    reused: 'ref',
    metadata: definitions(),
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: BENCH_REPORT_SCHEMA_ID, ...rest };
}

/** The exact text of schema/bench-report.schema.json (2-space JSON and a final newline). */
export function benchReportJsonSchemaText(): string {
  return `${JSON.stringify(benchReportJsonSchema(), null, 2)}\n`;
}
