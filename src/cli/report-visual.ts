// The visual formats of `goodput report`: `html` (one self-contained page), `svg` and `png` (one file
// per chart in --out DIR), and the data they draw: the cells, a bounded deterministic sample of the
// request records (the requests.jsonl beside each run-directory input, a ledger run's stored rows),
// and one series name per input.

import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import { type RequestRecord, RequestRecordSchema } from '../core/schema/request-record.js';
import type { ReportData } from '../render/charts/cell-view.js';
import { readLinesSync } from '../store/jsonl-lines.js';
import type { ReportRenderer, ReportRenderRequest } from './report.js';

/** Records kept per cell: enough for a 200-point CDF and a token timeline, bounded whatever the run size. */
export const REQUESTS_PER_CELL = 2000;

/** FNV-1a of a string: a stable pseudo-random rank, so the sample is the same on every read. */
function rank(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Request records that are not a file: `name` prefixes the line number in errors. */
export interface RequestLineSource {
  readonly name: string;
  lines(): Iterable<string>;
}

/**
 * Reads request records (requests.jsonl paths, or other line sources) and keeps, per cell, the
 * `perCell` measured records with the lowest rank of their id (a bottom-k sample: deterministic
 * and independent of file order).
 */
export function sampleRequestFiles(
  sources: readonly (string | RequestLineSource)[],
  perCell = REQUESTS_PER_CELL,
): { records: RequestRecord[]; total: number } {
  const byCell = new Map<string, { r: RequestRecord; k: number }[]>();
  let total = 0;
  for (const source of sources) {
    const path = typeof source === 'string' ? source : source.name;
    let lineNo = 0;
    for (const line of typeof source === 'string' ? readLinesSync(source) : source.lines()) {
      lineNo++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new GoodputError('INPUT_NOT_JSON', `${path}:${lineNo}: not a JSON object`, {
          hint: 'requests.jsonl holds one request record per line',
        });
      }
      const parsed = RequestRecordSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new GoodputError(
          'INPUT_SCHEMA',
          `${path}:${lineNo}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid request record'}`,
        );
      }
      const r = parsed.data;
      if (r.warmup) continue;
      total++;
      const list = byCell.get(r.cell) ?? [];
      if (list.length === 0) byCell.set(r.cell, list);
      list.push({ r, k: rank(r.id) });
      if (list.length >= 2 * perCell) {
        list.sort((a, b) => a.k - b.k);
        list.length = perCell;
      }
    }
  }
  const records: RequestRecord[] = [];
  for (const list of byCell.values()) {
    list.sort((a, b) => a.k - b.k);
    for (const x of list.slice(0, perCell)) records.push(x.r);
  }
  return { records, total };
}

/** The requests.jsonl beside an input read from a run directory (its report.json or cells.jsonl). */
function requestsFileOf(source: string, cwd: string): string | undefined {
  const name = basename(source);
  if (name !== 'report.json' && name !== 'cells.jsonl') return undefined;
  const candidate = resolve(cwd, dirname(source), 'requests.jsonl');
  return existsSync(candidate) ? candidate : undefined;
}

/** A short series name for an input: its run label, else its directory or file name. */
function inputName(source: string, label: unknown): string {
  if (typeof label === 'string' && label !== '') return label;
  const name = basename(source);
  if (name === 'report.json' || name === 'cells.jsonl') return basename(dirname(source));
  return basename(name, extname(name));
}

/** Gathers the data of a visual report from the loaded inputs. */
export function visualReportData(req: ReportRenderRequest): ReportData {
  const files = [
    ...new Set(
      req.inputs.map((i) => requestsFileOf(i.source, req.cwd)).filter((p): p is string => p !== undefined),
    ),
  ];
  const stored = req.inputs.flatMap((i) => (i.requests === undefined ? [] : [i.requests]));
  const sources = [...files, ...stored];
  const sample = sources.length > 0 ? sampleRequestFiles(sources) : undefined;
  const many = req.inputs.length > 1;
  return {
    cells: [...req.cells],
    ...(sample ? { requests: sample.records, requestsTotal: sample.total } : {}),
    ...(many
      ? {
          seriesLabels: req.inputs.flatMap((i) =>
            i.reports.map(() => inputName(i.source, i.envelope?.label)),
          ),
        }
      : {}),
    sources: req.inputs.map((i) => i.source),
    generatedAt: req.now.toISOString(),
  };
}

/** The visual entries of REPORT_RENDERERS. */
export function visualRenderers(): [string, ReportRenderer][] {
  const charts = (format: 'svg' | 'png'): ReportRenderer => ({
    description: `one ${format.toUpperCase()} file per chart, in the --out directory`,
    async writeDirectory(req, dir) {
      // loaded on demand, like every renderer that pulls in the chart engine: `--help` must stay fast
      const { renderChartsToDir } = await import('../render/charts/chart-files.js');
      const result = await renderChartsToDir(visualReportData(req), dir, format);
      return [
        ...result.written.map((p) => `wrote ${p}`),
        ...result.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
      ];
    },
  });
  return [
    [
      'html',
      {
        description: 'one self-contained HTML page with charts (no network, no script)',
        render: async (req) => {
          const { renderHtmlReport } = await import('../render/html/report-page.js');
          return renderHtmlReport(visualReportData(req));
        },
      },
    ],
    ['svg', charts('svg')],
    ['png', charts('png')],
  ];
}
