import { spawnSync } from 'node:child_process';

export interface Throughput {
  /** Texts per second of this thread's own CPU time: one core's worth, whatever else runs. */
  perCpuSecond: number;
  /** Texts per second of elapsed time: lower when other processes share the core. */
  perWallSecond: number;
}

/** How fast `score` goes over `texts`, looping for at least `seconds`, after one warm-up pass. */
export function throughput(score: (text: string) => unknown, texts: readonly string[], seconds: number): Throughput {
  for (const text of texts) score(text);
  let done = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (const text of texts) score(text);
    done += texts.length;
    elapsed = performance.now() - started;
  }
  const cpu = process.cpuUsage(cpuStarted);
  return { perCpuSecond: done / ((cpu.user + cpu.system) / 1e6), perWallSecond: done / (elapsed / 1000) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function timeMs(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Wall time of a command that scores one line from stdin, from spawn to exit. */
export function commandMs(command: string, args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, input: 'what a lovely day\n', encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}
