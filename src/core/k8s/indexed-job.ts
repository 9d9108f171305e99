// The Kubernetes Indexed Job of a sharded bench-serve run (SPEC §9), as YAML text written by hand:
// N pods (completions = parallelism = N), pod i runs `goodput bench-serve --shard i/N` with i from
// its completion index, all start their measured phase at one --start-at, and each writes its raw
// records to /results/shard-i on a shared volume for `goodput merge /results/shard-*`.

export interface IndexedJobSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  readonly shards: number;
  /** epoch ms every shard's measured phase starts at */
  readonly startAtMs: number;
  /** the PersistentVolumeClaim mounted at /results (ReadWriteMany, shared by every pod) */
  readonly pvc: string;
  /** bench-serve's own flags (without --shard, --start-at, --out-dir) */
  readonly benchServeArgs: readonly string[];
}

export const RESULTS_MOUNT = '/results';

/** A YAML double-quoted scalar: JSON's string syntax is a subset of it. */
const q = (s: string): string => JSON.stringify(s);

/** The manifest (one YAML document, trailing newline). */
export function indexedJobYaml(spec: IndexedJobSpec): string {
  const index = '$(JOB_COMPLETION_INDEX)';
  const args = [
    'bench-serve',
    ...spec.benchServeArgs,
    '--shard',
    `${index}/${spec.shards}`,
    '--start-at',
    String(spec.startAtMs),
    '--out-dir',
    `${RESULTS_MOUNT}/shard-${index}`,
  ];
  const lines = [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: ${q(spec.name)}`,
    ...(spec.namespace === undefined ? [] : [`  namespace: ${q(spec.namespace)}`]),
    '  labels:',
    '    app.kubernetes.io/name: "goodput"',
    '  annotations:',
    `    goodput/start-at: ${q(new Date(spec.startAtMs).toISOString())}`,
    'spec:',
    '  completionMode: Indexed',
    `  completions: ${spec.shards}`,
    `  parallelism: ${spec.shards}`,
    // a retried shard would start after --start-at and be refused by merge's checks: no retries
    '  backoffLimit: 0',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app.kubernetes.io/name: "goodput"',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: "goodput"',
    `          image: ${q(spec.image)}`,
    '          command: ["goodput"]',
    '          args:',
    ...args.map((a) => `            - ${q(a)}`),
    '          env:',
    '            - name: JOB_COMPLETION_INDEX',
    '              valueFrom:',
    '                fieldRef:',
    `                  fieldPath: ${q("metadata.annotations['batch.kubernetes.io/job-completion-index']")}`,
    '          volumeMounts:',
    '            - name: results',
    `              mountPath: ${q(RESULTS_MOUNT)}`,
    '      volumes:',
    '        - name: results',
    '          persistentVolumeClaim:',
    `            claimName: ${q(spec.pvc)}`,
  ];
  return `${lines.join('\n')}\n`;
}
