import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** Latencies of one phase, in milliseconds. */
export class LatencyRecorder {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  percentile(p: number): number {
    if (this.samples.length === 0) return Number.NaN;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
}

export interface PhaseResult {
  name: string;
  offered: string;
  completed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Share of the phase this process's event loop was busy: near 1, the bench itself is the bottleneck. */
  loopBusy?: number;
  /** Whole-machine CPU busy during the phase (every process, ours or not), in cores. */
  machineCores?: number;
  /** CPU ms per event spent by the bench's own processes (see OwnCpu), by who spent them. */
  ownCpu?: { node: number; postgres: number; rabbitmq: number; total: number };
  note?: string;
}

export function summarize(
  name: string,
  offered: string,
  latencies: LatencyRecorder,
  startedAt: number,
  endedAt: number,
  options: { note?: string | undefined; cpuMs?: { node: number; postgres: number; rabbitmq: number; total: number } } = {},
): PhaseResult {
  const seconds = (endedAt - startedAt) / 1000;
  const { note, cpuMs } = options;
  const perEvent = (ms: number) => ms / Math.max(1, latencies.count);
  return {
    ...(cpuMs ? { ownCpu: { node: perEvent(cpuMs.node), postgres: perEvent(cpuMs.postgres), rabbitmq: perEvent(cpuMs.rabbitmq), total: perEvent(cpuMs.total) } } : {}),
    loopBusy: loopMeter.take(),
    machineCores: cpuMeter.take(),
    name,
    offered,
    completed: latencies.count,
    seconds,
    perSecond: latencies.count / seconds,
    p50: latencies.percentile(50),
    p99: latencies.percentile(99),
    max: latencies.percentile(100),
    ...(note ? { note } : {}),
  };
}

/**
 * The rounds of one phase as one row: throughput over all of them (events / seconds summed), the
 * worst round's latencies, CPU per event weighted by events.
 */
export function combineRounds(name: string, rounds: PhaseResult[]): PhaseResult {
  const completed = rounds.reduce((sum, round) => sum + round.completed, 0);
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  const weighted = (pick: (cpu: NonNullable<PhaseResult['ownCpu']>) => number) =>
    rounds.reduce((sum, round) => sum + (round.ownCpu ? pick(round.ownCpu) * round.completed : 0), 0) / Math.max(1, completed);
  const withCpu = rounds.every((round) => round.ownCpu);
  return {
    name,
    offered: rounds[0]?.offered ?? '',
    completed,
    seconds,
    perSecond: completed / seconds,
    p50: Math.max(...rounds.map((round) => round.p50)),
    p99: Math.max(...rounds.map((round) => round.p99)),
    max: Math.max(...rounds.map((round) => round.max)),
    ...(withCpu ? { ownCpu: { node: weighted((cpu) => cpu.node), postgres: weighted((cpu) => cpu.postgres), rabbitmq: weighted((cpu) => cpu.rabbitmq), total: weighted((cpu) => cpu.total) } } : {}),
    note: `${rounds.length} rounds alternating with the other queue type: ${rounds.map((round) => Math.round(round.perSecond)).join(', ')} events/s`,
  };
}

export function printResults(results: PhaseResult[]): void {
  const rows = results.map((r) => [
    r.name,
    r.offered,
    String(r.completed),
    r.seconds.toFixed(2),
    Math.round(r.perSecond).toString(),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    r.loopBusy === undefined ? '' : `${Math.round(r.loopBusy * 100)}%`,
    r.machineCores === undefined ? '' : `${r.machineCores.toFixed(2)}/${os.cpus().length}`,
    r.ownCpu === undefined ? '' : r.ownCpu.total.toFixed(2),
    r.ownCpu === undefined ? '' : `${r.ownCpu.node.toFixed(2)}/${r.ownCpu.postgres.toFixed(2)}/${r.ownCpu.rabbitmq.toFixed(2)}`,
    r.note ?? '',
  ]);
  const header = ['phase', 'offered', 'events', 'seconds', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'loop', 'machine', 'cpu ms/ev', 'node/pg/mq', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** Milliseconds on a clock every process of the bench shares (sub-millisecond precision). */
export const now = (): number => performance.timeOrigin + performance.now();

/** Event-loop utilization since the last take(); each phase takes it at its start and its end. */
export const loopMeter = {
  last: performance.eventLoopUtilization(),
  take(): number {
    const current = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(current, this.last);
    this.last = current;
    return delta.utilization;
  },
};

/** Busy CPU time of the whole machine (all cores, all processes) from /proc/stat, since the last take(). */
export const cpuMeter = {
  last: readCpu(),
  take(): number {
    const current = readCpu();
    const busy = current.busy - this.last.busy;
    const total = current.total - this.last.total;
    this.last = current;
    return total > 0 ? (busy / total) * os.cpus().length : Number.NaN;
  },
};

function readCpu(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}
