import { describe, expect, it } from 'vitest';
import { GOODPUT_SCHEMA_VERSION } from '../../../src/core/schema/extension.js';
import { parseReportFile } from '../../../src/core/schema/report-reader.js';
import {
  createRunEnvelope,
  looksLikeRunEnvelope,
  writeRunEnvelopeJson,
} from '../../../src/core/schema/run-envelope.js';
import { appendixA3Report, appendixA4Report } from '../../fixtures/appendix-a-reports.js';

const META = {
  tool_version: '0.1.0',
  run_id: '0b7e',
  started_at: '2026-06-01T10:00:00.000Z',
  finished_at: '2026-06-01T10:05:00.000Z',
  command_line: ['goodput', 'bench-serve', '--concurrency-sweep', '1,4'],
};

describe('run envelope', () => {
  it('writes {"goodput": metadata in declared order, "cells": reports}', () => {
    const text = writeRunEnvelopeJson(createRunEnvelope(META, [appendixA3Report()]), { pretty: false });
    expect(
      text.startsWith(
        `{"goodput":{"schema_version":${GOODPUT_SCHEMA_VERSION},"tool_version":"0.1.0","run_id":"0b7e","started_at":"2026-06-01T10:00:00.000Z","finished_at":"2026-06-01T10:05:00.000Z","command_line":["goodput","bench-serve","--concurrency-sweep","1,4"]},"cells":[{"model":"m#tag",`,
      ),
    ).toBe(true);
  });

  it('is pretty by default and reads back byte for byte, unknown metadata kept', () => {
    const envelope = createRunEnvelope({ ...META, interrupted: true }, [
      appendixA3Report(),
      appendixA4Report(),
    ]);
    const withExtra = { ...envelope, goodput: { ...envelope.goodput, host: 'bench-01' } };
    const text = writeRunEnvelopeJson(withExtra);
    expect(text.startsWith('{\n  "goodput": {\n    "schema_version": 1,')).toBe(true);
    const parsed = parseReportFile(text, 'report.json');
    expect(parsed.envelope).toMatchObject({ run_id: '0b7e', interrupted: true, host: 'bench-01' });
    expect(writeRunEnvelopeJson({ goodput: parsed.envelope!, cells: parsed.reports })).toBe(text);
  });

  it('tells an envelope from a report', () => {
    expect(looksLikeRunEnvelope({ goodput: {}, cells: [] })).toBe(true);
    expect(looksLikeRunEnvelope(appendixA3Report())).toBe(false);
    expect(looksLikeRunEnvelope([])).toBe(false);
  });

  it('an envelope with bad metadata names the path', () => {
    const text = JSON.stringify({ goodput: { ...META, schema_version: 1, run_id: 5 }, cells: [] });
    expect(() => parseReportFile(text, 'report.json')).toThrow(
      'report.json: goodput.run_id: expected string, got number 5',
    );
  });
});
