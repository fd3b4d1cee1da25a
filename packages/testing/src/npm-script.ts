import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs `npm run -s <script>` in `cwd` as an operator would, and answers its exit code and all it printed. */
export async function runNpmScript(script: string, o: { cwd: string; env: Record<string, string | undefined> }): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '-s', script], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}
