// `goodput merge <shard dirs…>` (SPEC §9): reads the raw outputs of the shards of one sharded
// bench-serve run (shard.json + requests.jsonl each), checks they belong together, merges them on
// one clock into ONE report (core/shard/merge-shards.ts), writes a run directory like bench-serve's
// (report.json, cells.jsonl, requests.jsonl, report.md, report.html) and records it in the ledger.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import { formatJsonPath } from '../core/schema/json-path.js';
import { type RequestRecord, RequestRecordSchema } from '../core/schema/request-record.js';
import { createRunEnvelope } from '../core/schema/run-envelope.js';
import { mergeShards, type ShardOutput } from '../core/shard/merge-shards.js';
import { SHARD_MANIFEST_FILE, ShardManifestSchema } from '../core/shard/shard-manifest.js';
import { RUN_FILES, RunDirectory } from '../output/run-directory.js';
import { renderTerminal } from '../render/terminal.js';
import type { CommandModule } from './command.js';
import { finalizeRun, ledgerOptions, ledgerPath, stampComparability } from './run-finalize.js';
import { TOOL_VERSION } from './version.js';

const EXAMPLES = `
Examples:
  goodput merge shard-0 shard-1 shard-2 --out-dir merged
  goodput merge /results/shard-*            # the shared volume of \`goodput k8s-job\`
  goodput merge shard-* --db runs.db && goodput report latest --db runs.db

Each directory is the --out-dir of one \`goodput bench-serve --shard i/N --start-at T\`. Every
shard of the run must be given once. Times are put on one clock (ms since --start-at) through
each shard's wall-clock anchor: the hosts' clocks must be synchronised (NTP/PTP); the report's
goodput.shards records the anchor uncertainty and how far apart the shards really started.
The merged run is recorded in the ledger as one run (source merge, its cell's goodput.shards
names the N shard directories) unless --no-db.`;

/** One shard directory: its manifest and records, with errors naming the file (and line). */
export function readShardDirectory(dir: string): ShardOutput {
  const manifestPath = join(dir, SHARD_MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    throw new GoodputError(
      'INPUT_MISSING',
      `${dir}: no ${SHARD_MANIFEST_FILE} (not a finished shard's --out-dir)`,
      {
        hint: 'give the --out-dir of each `goodput bench-serve --shard i/N` run, after it finished',
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new GoodputError('INPUT_SCHEMA', `${manifestPath}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = ShardManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GoodputError(
      'INPUT_SCHEMA',
      `${manifestPath}: ${formatJsonPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const requestsPath = join(dir, RUN_FILES.requests);
  if (!existsSync(requestsPath)) throw new GoodputError('INPUT_MISSING', `${dir}: no ${RUN_FILES.requests}`);
  const records: RequestRecord[] = [];
  readFileSync(requestsPath, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw new GoodputError(
          'INPUT_SCHEMA',
          `${requestsPath}:${i + 1}: not valid JSON (${(e as Error).message})`,
        );
      }
      const record = RequestRecordSchema.safeParse(value);
      if (!record.success) {
        const issue = record.error.issues[0];
        throw new GoodputError(
          'INPUT_SCHEMA',
          `${requestsPath}:${i + 1}: ${formatJsonPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid record'}`,
        );
      }
      records.push(record.data);
    });
  return { source: dir, manifest: parsed.data, records };
}

export const mergeCommand: CommandModule = {
  register(program, ctx) {
    const [db, noDb, dbRequests] = ledgerOptions();
    program
      .command('merge')
      .description('Merge the raw outputs of the shards of one sharded bench-serve run into one report.')
      .argument('<dirs...>', 'the --out-dir of every shard')
      .option('--out-dir <dir>', 'where the merged run goes (default goodput-results/merged-<start>)')
      .addOption(db)
      .addOption(noDb)
      .addOption(dbRequests)
      .addHelpText('after', EXAMPLES)
      .action(async (dirs, opts) => {
        const io = ctx.io;
        const shards = dirs.map((d) => readShardDirectory(resolve(io.cwd, d)));
        const merged = mergeShards(shards);
        const report = merged.report;
        stampComparability(report);
        const head = shards[0]?.manifest;
        const outDir = resolve(
          io.cwd,
          opts.outDir ?? join('goodput-results', `merged-${head?.start_at_ms ?? 'run'}`),
        );
        const out = RunDirectory.create(outDir);
        try {
          for (const record of merged.records) out.appendRequest(record);
          out.appendCell(report);
          const started = head === undefined ? new Date() : new Date(head.start_at_ms);
          out.writeReport(
            createRunEnvelope(
              {
                tool_version: TOOL_VERSION,
                // one sharded run, one id: the same shards merged again are the same ledger run
                run_id: `merged-${head?.start_at_ms ?? 'run'}-${head?.plan_hash.slice(7, 19) ?? 'run'}`,
                started_at: started.toISOString(),
                finished_at: new Date(
                  Math.max(...shards.map((s) => Date.parse(s.manifest.finished_at))),
                ).toISOString(),
                command_line: [...ctx.argv],
                inputs: shards.map((s) => s.source),
              },
              [report],
            ),
          );
          // finalizeRun syncs the files before it reads requests.jsonl back
          io.stdout.write(renderTerminal([report], { color: io.color && io.stdout.isTTY }));
          await finalizeRun(
            {
              dir: out,
              reports: [report],
              source: 'merge',
              label: report.goodput?.label ?? 'merged',
              db: ledgerPath(io.cwd, opts.db),
              dbRequests: opts.dbRequests === true,
            },
            (line) => io.stderr.write(`${line}\n`),
          );
        } finally {
          out.close();
        }
        io.stderr.write(
          `merged ${shards.length} shards, ${merged.window.expected_requests} requests → ${outDir}\n`,
        );
        ctx.exitCode = 0;
      });
  },
};
