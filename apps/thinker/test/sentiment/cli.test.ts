import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sentimentResultSchema } from '../../src/sentiment/index.js';
import { runScript } from './run-script.js';

const cli = 'src/sentiment/cli.ts';
const jsonLine = sentimentResultSchema.extend({ model: z.string().regex(/^offline-linear@[0-9a-f]{12}$/) });
const directory = mkdtempSync(join(tmpdir(), 'sentiment-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the sentiment command', () => {
  it('when texts come on stdin, then it prints one label per line in order, an empty line being neutral', async () => {
    const input = 'I love this so much, thank you!\n\nThis is awful, I hate it\nThe store opens at 9am on Saturdays\n';
    const { code, stdout, stderr } = await runScript(cli, [], input);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('positive\nneutral\nnegative\nneutral\n');
  });

  it('when --json is given, then every line is a JSON object with label, score, confidence and model', async () => {
    const { code, stdout } = await runScript(cli, ['--json'], 'what a great day\r\nterrible news\n');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((line) => jsonLine.parse(JSON.parse(line)));
    expect(lines.map((l) => l.label)).toEqual(['positive', 'negative']);
  });

  it('when the last line has no newline and another line is megabytes long, then both are answered', async () => {
    const long = 'so happy today '.repeat(100_000);
    const { code, stdout } = await runScript(cli, [], `${long}\nawful`);
    expect(code).toBe(0);
    expect(stdout).toBe('positive\nnegative\n');
  });

  it('when many lines come, then as many labels come back', async () => {
    const { code, stdout } = await runScript(cli, [], 'good\nbad\nok\n'.repeat(5_000));
    expect(code).toBe(0);
    expect(stdout.split('\n').length - 1).toBe(15_000);
  });

  it('when a flag is unknown, then it exits 2 with a message and the usage', async () => {
    const { code, stdout, stderr } = await runScript(cli, ['--jsn'], 'hello\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Unknown option '--jsn'");
    expect(stderr).toContain('usage: sentiment');
  });

  it('when the weights file is broken, then it exits 1 saying what is wrong', async () => {
    const broken = join(directory, 'broken.bin');
    writeFileSync(broken, 'not a model');
    const { code, stderr } = await runScript(cli, ['--model', broken], 'hello\n');
    expect(code).toBe(1);
    expect(stderr).toContain('not a sentiment model file');
  });

  it('when --model is a relative path, then it is read from where npm was started, not from the workspace', async () => {
    writeFileSync(join(directory, 'relative.bin'), 'not a model');
    const { code, stderr } = await runScript(cli, ['--model', 'relative.bin'], 'hello\n', { INIT_CWD: directory });
    expect(code).toBe(1);
    expect(stderr).toContain(`sentiment model ${join(directory, 'relative.bin')}: not a sentiment model file`);
  });
});
