// The bench's output: one table (plain text for the terminal, Markdown for the README) with both
// targets side by side for each N and the ratio app / reference of every figure.
import type { TargetResult } from './measure-target';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  options: Record<string, unknown>;
  /** Test runs seen on the machine during the bench (their load skews the figures). */
  otherTestRuns: string[];
  runs: TargetResult[];
}

interface Row {
  label: string;
  value: (run: TargetResult) => number;
  digits: number;
}

const KB = 1024;

const ROWS: Row[] = [
  { label: 'clients connected', value: (r) => r.connected, digits: 0 },
  { label: 'snapshots received', value: (r) => r.snapshots, digits: 0 },
  { label: 'connect → snapshot p50 (ms)', value: (r) => r.connectToSnapshotMs.p50, digits: 0 },
  { label: 'connect → snapshot p99 (ms)', value: (r) => r.connectToSnapshotMs.p99, digits: 0 },
  { label: 'first connect → last snapshot (s)', value: (r) => r.stormMs / 1000, digits: 1 },
  { label: 'updates delivered', value: (r) => r.delivered, digits: 0 },
  { label: 'missed deliveries', value: (r) => r.missed, digits: 0 },
  { label: 'delivery latency min (ms)', value: (r) => r.latencyMs.min, digits: 0 },
  { label: 'delivery latency p50 (ms)', value: (r) => r.latencyMs.p50, digits: 0 },
  { label: 'delivery latency p99 (ms)', value: (r) => r.latencyMs.p99, digits: 0 },
  { label: 'delivery latency max (ms)', value: (r) => r.latencyMs.max, digits: 0 },
  { label: 'RSS per open stream (KB)', value: (r) => r.memory.rssPerStream / KB, digits: 1 },
  { label: 'JS heap per open stream (KB)', value: (r) => r.memory.heapPerStream / KB, digits: 1 },
  { label: 'CPU per broadcast (ms)', value: (r) => r.cpu.msPerBroadcast, digits: 1 },
  { label: 'CPU per stream per broadcast (µs)', value: (r) => r.cpu.usPerStreamPerBroadcast, digits: 1 },
  { label: 'CPU while idle, polling (%)', value: (r) => r.cpu.idleNsPerMs / 1e4, digits: 1 },
  // `?.`: results written before the bench measured the loop have no such figure.
  {
    label: 'event-loop delay, polls: p99 (ms)',
    value: (r) => r.eventLoop?.polls.p99Ms ?? Number.NaN,
    digits: 0,
  },
  {
    label: 'event-loop delay, polls: max (ms)',
    value: (r) => r.eventLoop?.polls.maxMs ?? Number.NaN,
    digits: 0,
  },
  {
    label: 'event-loop delay, broadcasts: max (ms)',
    value: (r) => r.eventLoop?.broadcasts.maxMs ?? Number.NaN,
    digits: 0,
  },
  { label: 'idle RSS (MB)', value: (r) => r.memory.idle.rss / KB / KB, digits: 0 },
  {
    label: 'RSS after churn vs idle (%)',
    value: (r) => (r.churn.after ? (r.churn.after.rss / r.churn.before.rss) * 100 : Number.NaN),
    digits: 0,
  },
  {
    label: 'JS heap after churn vs idle (%)',
    value: (r) => (r.churn.after ? (r.churn.after.heapUsed / r.churn.before.heapUsed) * 100 : Number.NaN),
    digits: 0,
  },
  { label: 'streams left after churn', value: (r) => r.churn.streamsAfter ?? Number.NaN, digits: 0 },
  { label: 'snapshot event (KB)', value: (r) => r.bytes.snapshot / KB, digits: 1 },
  { label: 'update event (bytes)', value: (r) => r.bytes.update, digits: 0 },
];

const format = (value: number, digits: number) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';

function ratio(app: number, reference: number): string {
  if (!Number.isFinite(app) || !Number.isFinite(reference)) return '–';
  if (reference === 0) return app === 0 ? '=' : '∞';
  return `×${(app / reference).toFixed(2)}`;
}

/** The table's cells: a header and one row per figure; columns app, reference, app/ref for each N. */
export function tableCells(runs: TargetResult[]): { header: string[]; rows: string[][] } {
  const ns = [...new Set(runs.map((run) => run.n))].sort((a, b) => a - b);
  const find = (n: number, target: string) => runs.find((run) => run.n === n && run.target === target);
  const header = ['figure'];
  for (const n of ns) header.push(`N=${n.toLocaleString('en-US')} app`, 'reference', 'app/ref');
  const rows = ROWS.map((row) => {
    const cells = [row.label];
    for (const n of ns) {
      const app = find(n, 'app');
      const reference = find(n, 'reference');
      const a = app ? row.value(app) : Number.NaN;
      const r = reference ? row.value(reference) : Number.NaN;
      cells.push(format(a, row.digits), format(r, row.digits), ratio(a, r));
    }
    return cells;
  });
  return { header, rows };
}

export function formatText(results: BenchResults): string {
  const { header, rows } = tableCells(results.runs);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function describeMachine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}`;
}

export function formatMarkdown(results: BenchResults): string {
  const { header, rows } = tableCells(results.runs);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const commands = [...new Map(results.runs.map((run) => [run.target, run.command])).entries()];
  return [
    `# npm run bench: ${results.date}`,
    '',
    `Machine: ${describeMachine(results.machine)}.`,
    `Options: ${Object.entries(results.options)
      .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
      .join(', ')}.`,
    ...commands.map(([target, command]) => `- ${target}: \`${command}\``),
    '',
    line(header),
    line(header.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
    '',
    ...(results.otherTestRuns.length
      ? [`**Other test runs were going on this machine: the figures are noisy.**`, '']
      : []),
    'Latency: from the fake Douban serving the changed page to each client reading the update (min:',
    "the first client, i.e. fetch, parse, diff and encoding). Memory per stream: (the server's RSS or",
    'JS heap with N streams open − idle) / N, both after a gc(). CPU per broadcast: server CPU time from',
    'the changed page being served to the last client reading the update; per stream, less the cost of',
    'a poll that finds no change (idle CPU × poll interval), over N. Churn: N clients connect and',
    'leave, `churn` more times; RSS and heap then (after a gc()) against idle, before the first client.',
    '',
    '![p99 latency and memory per stream against N](latest.svg)',
    '',
  ].join('\n');
}
