import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.js';

// Real files in a throwaway library folder, linted with the workspace's real config: the cycle rule
// follows imports on disk, so a probe must exist there.
let eslint: ESLint;
let probeDir: string;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: join(repoRoot, 'eslint.config.mjs') });
  probeDir = mkdtempSync(join(repoRoot, 'packages/core/src/cycle-probe-'));
});

afterAll(() => {
  rmSync(probeDir, { recursive: true, force: true });
});

async function cycleErrors(files: Record<string, string>, lint: string): Promise<Linter.LintMessage[]> {
  for (const [name, code] of Object.entries(files)) writeFileSync(join(probeDir, name), code);
  const [result] = await eslint.lintFiles([join(probeDir, lint)]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-cycle' && m.severity === 2);
}

describe('import cycles', () => {
  it('when two modules import each other, then lint fails', async () => {
    const errors = await cycleErrors(
      {
        'pair-a.ts': `import { b } from './pair-b.js';\nexport const a = () => b();\n`,
        'pair-b.ts': `import { a } from './pair-a.js';\nexport const b = () => 1;\nexport const useA = () => a();\n`,
      },
      'pair-a.ts',
    );

    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/Dependency cycle/);
  });

  it('when the cycle runs through a third module, then lint still fails', async () => {
    const errors = await cycleErrors(
      {
        'ring-a.ts': `import { b } from './ring-b.js';\nexport const a = () => b();\n`,
        'ring-b.ts': `import { c } from './ring-c.js';\nexport const b = () => c();\n`,
        'ring-c.ts': `import { a } from './ring-a.js';\nexport const c = () => 1;\nexport const useA = () => a();\n`,
      },
      'ring-a.ts',
    );

    expect(errors).toHaveLength(1);
  });

  it('when imports only go one way, then lint passes', async () => {
    const errors = await cycleErrors(
      {
        'line-a.ts': `import { b } from './line-b.js';\nexport const a = () => b();\n`,
        'line-b.ts': `export const b = () => 1;\n`,
      },
      'line-a.ts',
    );

    expect(errors).toEqual([]);
  });
});
