// `goodput k8s-job`: the exact Indexed Job manifest for fixed inputs, the default start computed
// when printed, and the flags the Job sets itself refused by name.

import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

async function k8s(args: string[]) {
  const io = memoryIo();
  const code = await main(['k8s-job', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const EXPECTED = `apiVersion: batch/v1
kind: Job
metadata:
  name: "bench-a"
  namespace: "perf"
  labels:
    app.kubernetes.io/name: "goodput"
  annotations:
    goodput/start-at: "2023-11-14T22:13:20.000Z"
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  backoffLimit: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: "goodput"
    spec:
      restartPolicy: Never
      containers:
        - name: "goodput"
          image: "ghcr.io/me/goodput:0.1"
          command: ["goodput"]
          args:
            - "bench-serve"
            - "--base-url"
            - "http://vllm:8000"
            - "--goodput"
            - "ttft:500 e2el:\\"x\\""
            - "--n-repeats"
            - "1"
            - "--shard"
            - "$(JOB_COMPLETION_INDEX)/3"
            - "--start-at"
            - "1700000000000"
            - "--out-dir"
            - "/results/shard-$(JOB_COMPLETION_INDEX)"
          env:
            - name: JOB_COMPLETION_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"
          volumeMounts:
            - name: results
              mountPath: "/results"
      volumes:
        - name: results
          persistentVolumeClaim:
            claimName: "bench-pvc"
`;

describe('goodput k8s-job', () => {
  it('prints the Indexed Job: N completions in parallel, shard from the completion index, shared volume', async () => {
    const r = await k8s(
      ['--shards', '3', '--image', 'ghcr.io/me/goodput:0.1', '--name', 'bench-a', '--namespace', 'perf']
        .concat(['--pvc', 'bench-pvc', '--start-at', '1700000000000', '--'])
        .concat(['--base-url', 'http://vllm:8000', '--goodput', 'ttft:500 e2el:"x"']),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(EXPECTED);
  });

  it('without --start-at the start is --start-in seconds after printing; given --n-repeats is kept', async () => {
    const before = Date.now();
    const r = await k8s([
      '--shards',
      '2',
      '--image',
      'i',
      '--start-in',
      '30',
      '--',
      '--base-url',
      'http://h:1',
      '--n-repeats',
      '1',
    ]);
    expect(r.code, r.err).toBe(0);
    const startAt = Number(/- "--start-at"\n\s+- "(\d+)"/.exec(r.out)?.[1]);
    expect(startAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(startAt).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(r.out.match(/"--n-repeats"/g)).toHaveLength(1);
  });

  it.each([
    [
      ['--shards', '0', '--image', 'i', '--', '--base-url', 'http://h:1'],
      /--shards "0": expected an integer ≥ 1/,
    ],
    [
      ['--shards', '2', '--image', 'i', '--', '--base-url', 'http://h:1', '--shard', '0/2'],
      /--shard is set by the Job/,
    ],
    [
      ['--shards', '2', '--image', 'i', '--', '--base-url', 'http://h:1', '--out-dir', 'x'],
      /--out-dir is set by the Job/,
    ],
    [['--shards', '2', '--image', 'i', '--', '--request-rate', '4'], /need --base-url/],
    [
      ['--shards', '2', '--image', 'i', '--start-at', 'soon', '--', '--base-url', 'http://h:1'],
      /--start-at "soon"/,
    ],
  ])('refuses %j (exit 2)', async (args, message) => {
    const r = await k8s(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
