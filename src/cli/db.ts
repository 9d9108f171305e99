// `goodput db list|show|export|prune|import`: the results ledger (SPEC §5) from the command line.
// Every subcommand takes `--db PATH` (default ./goodput.db); machine output (--json, export) goes
// to stdout clean; deletions need --yes.

import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import Table from 'cli-table3';
import { cellKeyOf, loadLabel } from '../core/compare/cell-key.js';
import { GoodputError } from '../core/errors.js';
import { writeReportJson } from '../core/schema/json-writer.js';
import { writeRunEnvelopeJson } from '../core/schema/run-envelope.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { importReports } from '../store/import-reports.js';
import { type Ledger, openLedger, type PruneRule, type RunSummary, type StoredRun } from '../store/ledger.js';
import { isSelector } from '../store/selector.js';
import type { CommandContext, CommandModule } from './command.js';

export const DEFAULT_DB_PATH = 'goodput.db';

const EXAMPLES = `
Examples:
  goodput db list                              # newest runs first
  goodput db list --label nightly --json
  goodput db show latest                       # the cells of the newest run
  goodput db show run:12
  goodput db export commit:1a2b3c4 --out run.json
  goodput db export run:12 --format jsonl --requests-out requests.jsonl
  goodput db import ferrum/docs/bench/**/c*_n5.json --label ferrum-0.7.7
  goodput db prune --keep 50 --yes
`;

function withLedger<T>(
  ctx: CommandContext,
  dbPath: string,
  mustExist: boolean,
  fn: (ledger: Ledger) => T,
): T {
  const ledger = openLedger(resolve(ctx.io.cwd, dbPath), { mustExist });
  try {
    return fn(ledger);
  } finally {
    ledger.close();
  }
}

/** `12` means `run:12`; anything else must be a selector. */
function selectRun(ledger: Ledger, text: string): StoredRun {
  if (/^\d+$/.test(text)) return ledger.getRun(Number(text));
  if (!isSelector(text)) {
    throw new GoodputError(
      'USAGE',
      `"${text}" is not a run: use a run id or run:<id>, commit:<sha>, label:<x>, latest`,
    );
  }
  return ledger.resolveSelector(text);
}

function parseCount(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new GoodputError('USAGE', `${flag} ${raw}: expected a whole number ≥ 0`);
  return n;
}

const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });
const short = (s: string | null, n: number) => (s === null ? '' : s.length > n ? `${s.slice(0, n - 1)}…` : s);

function runsTable(runs: readonly RunSummary[]): string {
  const t = table(['run', 'recorded', 'label', 'source', 'commit', 'cells', 'requests', 'models']);
  for (const r of runs) {
    t.push([
      r.id,
      r.recordedAt.slice(0, 19).replace('T', ' '),
      r.label ?? '',
      r.source,
      short(r.commit, 12),
      r.cellCount,
      r.requestCount,
      short(r.models.join(', '), 40),
    ]);
  }
  return `${t.toString()}\n`;
}

const num = (x: number) => (x === 0 ? '—' : x.toFixed(2));

function cellsTable(stored: StoredRun): string {
  const t = table([
    '#',
    'model',
    'backend',
    'load',
    'in→out',
    'n',
    'TTFT p50 ms',
    'TPOT p50 ms',
    'E2E p50 ms',
    'out tok/s',
    'goodput req/s',
    'env_hash',
  ]);
  for (const c of stored.cells) {
    const r = c.report;
    const key = cellKeyOf(r);
    t.push([
      c.index,
      r.model,
      r.backend,
      loadLabel(key),
      `${r.n_prompt}→${r.n_gen}`,
      r.n_repeats,
      num(r.ttft_ms.p50.mean),
      num(r.tpot_ms.p50.mean),
      num(r.e2e_ms.p50.mean),
      num(r.output_throughput_tps.mean),
      num(r.goodput_rps.mean),
      r.env_hash.slice(0, 19),
    ]);
  }
  return `${t.toString()}\n`;
}

function runHeader(r: RunSummary): string {
  const lines = [
    `run ${r.id} (${r.uid})`,
    `  source    ${r.source}${r.sourcePath === null ? '' : ` ${r.sourcePath}`}`,
    `  label     ${r.label ?? '—'}`,
    `  commit    ${r.commit ?? '—'}`,
    `  started   ${r.startedAt ?? '—'}`,
    `  finished  ${r.finishedAt ?? '—'}`,
    `  recorded  ${r.recordedAt}`,
    `  tool      ${r.toolVersion ?? '—'}`,
    `  requests  ${r.requestCount}`,
  ];
  if (r.commandLine !== null) lines.push(`  command   ${r.commandLine.join(' ')}`);
  return `${lines.join('\n')}\n\n`;
}

export const dbCommand: CommandModule = {
  register(program, ctx) {
    const db = program
      .command('db')
      .description('The results ledger (SQLite): list, show, export, import and prune stored runs.')
      .addHelpText('after', EXAMPLES);

    db.command('list')
      .description('List stored runs, newest first.')
      .option('--db <path>', 'the ledger file', DEFAULT_DB_PATH)
      .option('--limit <n>', 'at most this many runs')
      .option('--label <label>', 'only runs with this label')
      .option('--commit <sha>', 'only runs of this commit (prefix)')
      .option('--model <name>', 'only runs with a cell of this model (with or without #tag)')
      .option('--json', 'print JSON instead of a table')
      .action((opts) => {
        const runs = withLedger(ctx, opts.db, true, (l) =>
          l.listRuns({
            ...(opts.limit === undefined ? {} : { limit: parseCount('--limit', opts.limit) }),
            ...(opts.label === undefined ? {} : { label: opts.label }),
            ...(opts.commit === undefined ? {} : { commit: opts.commit }),
            ...(opts.model === undefined ? {} : { model: opts.model }),
          }),
        );
        if (opts.json) ctx.io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        else if (runs.length === 0) ctx.io.stderr.write(`no runs in ${opts.db}\n`);
        else ctx.io.stdout.write(runsTable(runs));
        ctx.exitCode = 0;
      });

    db.command('show')
      .description('Show one run and its cells.')
      .argument('<run>', 'run id or selector: run:<id>, commit:<sha>, label:<x>, latest')
      .option('--db <path>', 'the ledger file', DEFAULT_DB_PATH)
      .option('--json', 'print the run envelope as JSON')
      .action((run, opts) => {
        withLedger(ctx, opts.db, true, (l) => {
          const stored = selectRun(l, run);
          if (opts.json) ctx.io.stdout.write(writeRunEnvelopeJson(l.exportRun(stored.run.id)));
          else ctx.io.stdout.write(runHeader(stored.run) + cellsTable(stored));
        });
        ctx.exitCode = 0;
      });

    db.command('export')
      .description('Export one run as its run envelope (JSON) or one report per line (JSONL).')
      .argument('<run>', 'run id or selector')
      .option('--db <path>', 'the ledger file', DEFAULT_DB_PATH)
      .addOption(
        new Option('--format <format>', 'json: the run envelope; jsonl: one ferrum report per line')
          .choices(['json', 'jsonl'] as const)
          .default('json' as const),
      )
      .option('--out <path>', 'write to this file (atomically) instead of stdout')
      .option('--requests-out <path>', "also write the run's stored request records (requests.jsonl)")
      .action((run, opts) => {
        withLedger(ctx, opts.db, true, (l) => {
          const stored = selectRun(l, run);
          const envelope = l.exportRun(stored.run.id);
          const text =
            opts.format === 'json'
              ? writeRunEnvelopeJson(envelope)
              : envelope.cells.map((c) => `${writeReportJson(c)}\n`).join('');
          if (opts.requestsOut !== undefined) {
            const lines = [...l.requestLines(stored.run.id)];
            if (lines.length === 0)
              ctx.io.stderr.write(`run ${stored.run.id} has no stored request records\n`);
            writeFileAtomic(resolve(ctx.io.cwd, opts.requestsOut), lines.map((x) => `${x}\n`).join(''));
          }
          if (opts.out === undefined) ctx.io.stdout.write(text);
          else {
            writeFileAtomic(resolve(ctx.io.cwd, opts.out), text);
            ctx.io.stderr.write(`wrote run ${stored.run.id} to ${opts.out}\n`);
          }
        });
        ctx.exitCode = 0;
      });

    db.command('import')
      .description('Import report files (ferrum or goodput) and result directories, one run per file.')
      .argument(
        '<paths...>',
        'report files (.json/.jsonl), result directories, or directories of report files',
      )
      .option('--db <path>', 'the ledger file', DEFAULT_DB_PATH)
      .option('--label <label>', 'label the imported runs')
      .action((paths, opts) => {
        const outcomes = withLedger(ctx, opts.db, false, (l) =>
          importReports(
            l,
            paths.map((p) => resolve(ctx.io.cwd, p)),
            opts.label === undefined ? {} : { label: opts.label },
          ),
        );
        for (const o of outcomes) {
          ctx.io.stderr.write(
            o.created
              ? `imported ${o.path} as run ${o.id} (${o.cells} cell${o.cells === 1 ? '' : 's'})\n`
              : `${o.path} is already run ${o.id}\n`,
          );
        }
        ctx.io.stdout.write(`${outcomes.filter((o) => o.created).length} run(s) imported into ${opts.db}\n`);
        ctx.exitCode = 0;
      });

    db.command('prune')
      .description('Delete old runs (with their cells and request rows). Lists them unless --yes.')
      .option('--db <path>', 'the ledger file', DEFAULT_DB_PATH)
      .option('--keep <n>', 'keep the newest N runs')
      .option('--before <date>', 'delete runs started (or recorded) before this ISO date')
      .option('--yes', 'really delete')
      .action((opts) => {
        if ((opts.keep === undefined) === (opts.before === undefined)) {
          throw new GoodputError('USAGE', 'db prune needs exactly one of --keep N or --before DATE');
        }
        const rule: PruneRule =
          opts.keep !== undefined ? { keep: parseCount('--keep', opts.keep) } : { before: opts.before! };
        withLedger(ctx, opts.db, true, (l) => {
          if (!opts.yes) {
            const doomed = l.planPrune(rule);
            if (doomed.length === 0) {
              ctx.io.stderr.write('nothing to prune\n');
              ctx.exitCode = 0;
              return;
            }
            ctx.io.stdout.write(runsTable(doomed));
            throw new GoodputError(
              'USAGE',
              `db prune would delete the ${doomed.length} run(s) above; nothing was deleted`,
              {
                hint: 'add --yes to delete them',
              },
            );
          }
          const deleted = l.pruneRuns(rule);
          ctx.io.stdout.write(`deleted ${deleted.length} run(s) from ${opts.db}\n`);
          ctx.exitCode = 0;
        });
      });
  },
};
