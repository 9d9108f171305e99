// The one place goodput touches the process: argv, env, cwd, stdout/stderr, TTY, colour and
// signals are gathered here into a CliIo and handed down, so tests can pass a fake one.

export interface CliStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** colour on stderr: only on a TTY and never with NO_COLOR (SPEC §1) */
  readonly color: boolean;
  /** registers a handler for SIGINT (and SIGTERM, the polite stop of a supervisor); returns a function that removes it */
  onInterrupt(handler: () => void): () => void;
}

/**
 * One of the process's output streams. When its reader has gone (`goodput sim --help | head -1`:
 * EPIPE), further writes are dropped instead of crashing the process with an unhandled 'error'
 * event: the command still finishes its work (files are never left half written) and its exit
 * code; any other stream error is still thrown.
 */
function processStream(stream: NodeJS.WriteStream): CliStream {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    write: (t) => {
      if (!closed) stream.write(t);
    },
    isTTY: Boolean(stream.isTTY),
  };
}

/** The real IO of this process. */
export function processIo(): CliIo {
  const env = process.env;
  const stderrTTY = Boolean(process.stderr.isTTY);
  return {
    env,
    cwd: process.cwd(),
    stdout: processStream(process.stdout),
    stderr: processStream(process.stderr),
    color: stderrTTY && env.NO_COLOR === undefined,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/** An IO object that records everything written, for tests. */
export function memoryIo(options: { env?: Record<string, string>; cwd?: string } = {}): CliIo & {
  out(): string;
  err(): string;
  interrupt(): void;
} {
  let out = '';
  let err = '';
  const handlers = new Set<() => void>();
  return {
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout: {
      write: (t) => {
        out += t;
      },
      isTTY: false,
    },
    stderr: {
      write: (t) => {
        err += t;
      },
      isTTY: false,
    },
    color: false,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    out: () => out,
    err: () => err,
    interrupt: () => {
      for (const h of [...handlers]) h();
    },
  };
}
