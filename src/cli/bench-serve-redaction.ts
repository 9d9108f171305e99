// What bench-serve records of its command line and of the server's flags and environment: the
// values that look secret (auth headers, API keys, tokens, passwords) replaced by `<redacted>`.

import { redactHeaderArg } from '../client/target.js';
import { splitArgs } from './bench-serve-options.js';

const SECRET_NAME = /auth|key|token|secret|password|credential/i;

/** The command line as it may be recorded: header values that look secret are redacted. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--header' && i + 1 < argv.length) {
      out.push(a, redactHeaderArg(argv[++i] as string));
    } else if (a.startsWith('--header='))
      out.push(`--header=${redactHeaderArg(a.slice('--header='.length))}`);
    else if (a === '--server-env' && i + 1 < argv.length) out.push(a, redactKeyValue(argv[++i] as string));
    else if (a === '--server-args' && i + 1 < argv.length)
      out.push(a, redactServerArgs(splitArgs(argv[++i] as string)).join(' '));
    else out.push(a);
  }
  return out;
}

function redactKeyValue(kv: string): string {
  const eq = kv.indexOf('=');
  return eq > 0 && SECRET_NAME.test(kv.slice(0, eq)) ? `${kv.slice(0, eq)}=<redacted>` : kv;
}

/** `--server-env` as recorded: values of secret-looking variables replaced. */
export function redactServerEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, SECRET_NAME.test(k) ? '<redacted>' : v]));
}

/** `--server-args` as recorded: the value after (or in) a secret-looking flag replaced (`--api-key X`). */
export function redactServerArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    if (a.startsWith('-') && SECRET_NAME.test(eq === -1 ? a : a.slice(0, eq))) {
      if (eq !== -1) out.push(`${a.slice(0, eq)}=<redacted>`);
      else {
        out.push(a);
        if (i + 1 < args.length && !(args[i + 1] as string).startsWith('-')) {
          out.push('<redacted>');
          i++;
        }
      }
    } else out.push(a);
  }
  return out;
}
