// `goodput profile check|summary`: ferrum's profile-event JSONL (SPEC §8.2). check lists EVERY bad
// line with ferrum's messages (ferrum stopped at the first) and exits 1 if there is one; summary
// groups stage timings by event, commit and env hash, and with a second file compares A and B.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import {
  formatProfileLineError,
  missingProfileGroups,
  type ProfileJsonlResult,
  type ProfileLineError,
  parseProfileJsonlAll,
} from '../core/profile/profile-jsonl.js';
import { compareProfiles, type StageStats, summarizeProfile } from '../core/profile/profile-summary.js';
import type { CommandModule } from './command.js';

const EXAMPLES = `
Examples:
  goodput profile check profile.jsonl                    # every bad line, exit 1 if any
  goodput profile check profile.jsonl --require iter_prof,bucket_prof
  goodput profile summary profile.jsonl                  # count, mean, p50, p95 per stage (µs)
  goodput profile summary base.jsonl cand.jsonl          # B/A ratio per event and stage
  goodput profile summary profile.jsonl --json

Each line is ferrum's ProfileEvent: event, commit_sha, env_hash, model, concurrency, shape,
stage_us, graph_enabled, runtime_flags (+ optional source, source_line; extra keys allowed).`;

async function readProfile(path: string, cwd: string): Promise<ProfileJsonlResult> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new GoodputError(
      'INPUT_MISSING',
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: 'pass the path of a profile JSONL file',
      },
    );
  }
  return parseProfileJsonlAll(text);
}

function failOnErrors(path: string, errors: readonly ProfileLineError[], what: string): void {
  if (errors.length === 0) return;
  const shown = errors.slice(0, 20).map((e) => `  ${path}: ${formatProfileLineError(e)}`);
  if (errors.length > 20) shown.push(`  … and ${errors.length - 20} more`);
  throw new GoodputError('INPUT_SCHEMA', `${path}: ${errors.length} ${what}:\n${shown.join('\n')}`, {
    hint: `run goodput profile check ${path} for every problem`,
  });
}

const us = (x: number): string => x.toFixed(1);
const ratio = (r: number | null): string => (r === null ? '—' : r.toFixed(3));

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const stageRow = (s: StageStats): string[] => [s.stage, String(s.n), us(s.meanUs), us(s.p50Us), us(s.p95Us)];

export const profileCommand: CommandModule = {
  register(program, ctx) {
    const profile = program
      .command('profile')
      .description("Validate and summarise ferrum's profile-event JSONL.")
      .addHelpText('after', EXAMPLES);

    profile
      .command('check')
      .description('Check every line; print each bad one with its line number; exit 1 if any.')
      .argument('<file>', 'profile JSONL')
      .option('--require <events>', 'comma list of event names that must each appear at least once')
      .action(async (path, opts) => {
        const r = await readProfile(path, ctx.io.cwd);
        for (const e of r.errors) ctx.io.stdout.write(`${path}: ${formatProfileLineError(e)}\n`);
        const required =
          opts.require === undefined
            ? []
            : opts.require
                .split(',')
                .map((s) => s.trim())
                .filter((s) => s !== '');
        const missing = missingProfileGroups(
          r.events.map((l) => l.event),
          required,
        );
        if (missing !== undefined) ctx.io.stdout.write(`${path}: ${missing}\n`);
        const bad = r.errors.length;
        ctx.io.stderr.write(
          `${path}: ${r.events.length} valid event(s), ${bad} bad line(s)${missing === undefined ? '' : ', missing required events'}\n`,
        );
        ctx.exitCode = bad > 0 || missing !== undefined ? 1 : 0;
      });

    profile
      .command('summary')
      .description('Stage timings (µs) by event, commit and env hash; with FILE2, the B/A ratio per stage.')
      .argument('<file>', 'profile JSONL (A)')
      .argument('[file2]', 'a second profile JSONL (B) to compare with A')
      .option('--json', 'print the summary as JSON on stdout')
      .action(async (path, path2, opts) => {
        const a = await readProfile(path, ctx.io.cwd);
        failOnErrors(path, a.errors, 'bad line(s)');
        if (path2 === undefined) {
          const { groups, errors } = summarizeProfile(a.events);
          failOnErrors(path, errors, 'non-numeric timing(s)');
          if (opts.json === true) {
            ctx.io.stdout.write(`${JSON.stringify({ source: path, groups }, null, 2)}\n`);
          } else {
            const parts = [`profile ${path}: ${a.events.length} event(s) in ${groups.length} group(s)`];
            for (const g of groups) {
              parts.push(
                '',
                `${g.event} · commit ${g.commitSha ?? '(none)'} · ${g.envHash} (${g.count} event(s))`,
                table(['stage', 'n', 'mean (µs)', 'p50 (µs)', 'p95 (µs)'], g.stages.map(stageRow)),
              );
            }
            ctx.io.stdout.write(`${parts.join('\n')}\n`);
          }
          ctx.exitCode = 0;
          return;
        }
        const b = await readProfile(path2, ctx.io.cwd);
        failOnErrors(path2, b.errors, 'bad line(s)');
        const cmp = compareProfiles(a.events, b.events);
        failOnErrors(path, cmp.errors.a, 'non-numeric timing(s)');
        failOnErrors(path2, cmp.errors.b, 'non-numeric timing(s)');
        if (opts.json === true) {
          ctx.io.stdout.write(`${JSON.stringify({ a: path, b: path2, ...cmp }, null, 2)}\n`);
        } else {
          const rows = cmp.rows.map((r) => [
            r.event,
            r.stage,
            r.a ? us(r.a.meanUs) : '—',
            r.b ? us(r.b.meanUs) : '—',
            ratio(r.meanRatio),
            ratio(r.p50Ratio),
            ratio(r.p95Ratio),
          ]);
          ctx.io.stdout.write(
            `A: ${path} (${cmp.aSources.join('; ')})\nB: ${path2} (${cmp.bSources.join('; ')})\n\n` +
              `${table(['event', 'stage', 'A mean (µs)', 'B mean (µs)', 'B/A mean', 'B/A p50', 'B/A p95'], rows)}\n`,
          );
        }
        ctx.exitCode = 0;
      });
  },
};
