import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Step {
  step: string;
  eventId?: string;
}

export interface RelayProcess {
  child: ChildProcess;
  /** Resolves with the first reported step named `step`. */
  until(step: string, timeoutMs?: number): Promise<Step>;
  kill(): Promise<void>;
}

const script = fileURLToPath(new URL('../fixtures/relay-process.ts', import.meta.url));

/** Runs the fixture service process under tsx, reading the steps it reports. */
export function startRelayProcess(args: string[]): RelayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const steps: Step[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    steps.push(JSON.parse(line) as Step);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    until(step, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child never reported "${step}"; stderr: ${stderr}`)), timeoutMs);
        const check = () => {
          const found = steps.find((candidate) => candidate.step === step);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
        void exited.then(() => {
          if (!steps.some((candidate) => candidate.step === step)) {
            clearTimeout(timer);
            reject(new Error(`child exited before "${step}"; stderr: ${stderr}`));
          }
        });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
