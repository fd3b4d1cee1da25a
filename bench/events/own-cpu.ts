import { readdirSync, readFileSync } from 'node:fs';
import type { Sql } from 'postgres';

/** Clock ticks per second of /proc/<pid>/stat on Linux. */
const ticksPerSecond = 100;

/**
 * CPU time spent by the processes doing this bench's work, whatever else runs on the machine: this
 * process, its children (the consumer), the PostgreSQL backends connected to the bench's databases,
 * and the RabbitMQ server (shared with other users of the broker, so an upper bound).
 */
export class OwnCpu {
  private admin: Sql | undefined;
  private databases: string[] = [];
  private readonly childSources: Array<() => number[]> = [];
  private started: { self: NodeJS.CpuUsage; ticks: Map<number, number> } | undefined;

  configure(admin: Sql, databases: string[]): void {
    this.admin = admin;
    this.databases = databases;
  }

  /** Another database whose backends count (a second producer). */
  addDatabase(name: string): void {
    this.databases = [...this.databases, name];
  }

  /** Child processes whose CPU counts; each call adds a source (one per consumer process). */
  trackChildren(pids: () => number[]): void {
    this.childSources.push(pids);
  }

  private childPids(): number[] {
    return this.childSources.flatMap((source) => source());
  }

  async start(): Promise<void> {
    const ticks = new Map<number, number>();
    for (const pid of await this.pids()) ticks.set(pid, readTicks(pid));
    this.started = { self: process.cpuUsage(), ticks };
  }

  /** CPU milliseconds since start(), split by who spent them. */
  async stop(): Promise<{ node: number; postgres: number; rabbitmq: number; total: number; children: number }> {
    const started = this.started;
    if (!started) return { node: Number.NaN, postgres: Number.NaN, rabbitmq: Number.NaN, total: Number.NaN, children: Number.NaN };
    const self = process.cpuUsage(started.self);
    const spent = (pid: number) => ((readTicks(pid) - (started.ticks.get(pid) ?? 0)) * 1000) / ticksPerSecond;
    const children = this.childPids().reduce((sum, pid) => sum + spent(pid), 0);
    const postgres = (await this.backendPids()).reduce((sum, pid) => sum + spent(pid), 0);
    const rabbitmq = rabbitPids().reduce((sum, pid) => sum + spent(pid), 0);
    const node = (self.user + self.system) / 1000 + children;
    return { node, postgres, rabbitmq, total: node + postgres + rabbitmq, children };
  }

  private async pids(): Promise<number[]> {
    return [...this.childPids(), ...(await this.backendPids()), ...rabbitPids()];
  }

  private async backendPids(): Promise<number[]> {
    if (!this.admin || this.databases.length === 0) return [];
    const rows = await this.admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = any(${this.databases}) and pid <> pg_backend_pid()`;
    return rows.map((row) => row.pid);
  }
}

function readTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime 11, stime 12.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

let rabbit: number[] | undefined;
function rabbitPids(): number[] {
  if (rabbit) return rabbit;
  rabbit = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'beam.smp') rabbit.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return rabbit;
}

export const ownCpu = new OwnCpu();
