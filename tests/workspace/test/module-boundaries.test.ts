import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureProjectGraph, repoRoot } from './support/repo.js';

// Lints snippets as if they lived at a given path, with the workspace's real config,
// so a broken or weakened boundary rule fails here rather than in review.
let eslint: ESLint;

beforeAll(() => {
  // The Nx rule reads the cached project graph and silently skips itself without one.
  ensureProjectGraph();
  eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: join(repoRoot, 'eslint.config.mjs') });
});

const boundaryRules = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);

async function boundaryErrors(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath: join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && boundaryRules.has(m.ruleId) && m.severity === 2);
}

describe('module boundaries', () => {
  it('when an app imports another app by package name, then lint fails', async () => {
    const errors = await boundaryErrors('apps/trends/src/probe.ts', `import '@trendcast/users';`);

    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/type:app.*can only depend on libs tagged with.*type:lib/s);
  });

  it('when an app reaches into another app by relative path, then lint fails', async () => {
    const errors = await boundaryErrors('apps/trends/src/probe.ts', `import '../../users/src/config.js';`);

    expect(errors).toHaveLength(1);
    expect(errors[0]?.ruleId).toBe('@nx/enforce-module-boundaries');
  });

  it('when an app imports shared libraries, then lint passes', async () => {
    const errors = await boundaryErrors(
      'apps/trends/src/probe.ts',
      `import '@trendcast/events';\nimport '@trendcast/messaging';\nimport 'zod';`,
    );

    expect(errors).toEqual([]);
  });

  it('when a library imports an app, then lint fails', async () => {
    const errors = await boundaryErrors('packages/outbox/src/probe.ts', `import '@trendcast/notifier';`);

    expect(errors).toHaveLength(1);
    // Either rule is a refusal: a library may not depend on an app, nor close a cycle with one.
    expect(errors[0]?.message).toMatch(/type:lib.*can only depend on libs tagged with|Circular dependency/s);
  });

  it('when the event contracts import anything but zod, then lint fails', async () => {
    const npmImport = await boundaryErrors('packages/events/src/probe.ts', `import 'amqplib';`);
    const libImport = await boundaryErrors('packages/events/src/probe.ts', `import '@trendcast/messaging';`);
    const zodImport = await boundaryErrors('packages/events/src/probe.ts', `import { z } from 'zod';\nvoid z;`);

    expect(npmImport.map((m) => m.message).join('\n')).toMatch(/amqplib/);
    expect(libImport).toHaveLength(1);
    expect(zodImport).toEqual([]);
  });

  it('when production code imports the test helpers, then lint fails; test code may', async () => {
    const inSource = await boundaryErrors('apps/users/src/probe.ts', `import '@trendcast/testing';`);
    const inTest = await boundaryErrors('apps/users/test/probe.test.ts', `import '@trendcast/testing';`);
    const inLibTest = await boundaryErrors('packages/outbox/test/probe.test.ts', `import '@trendcast/testing';`);

    expect(inSource.map((m) => m.message)).toEqual([expect.stringContaining('Test helpers belong in test files only.')]);
    expect(inTest).toEqual([]);
    expect(inLibTest).toEqual([]);
  });

  it('when production code imports sample event payloads, then lint fails', async () => {
    const errors = await boundaryErrors('apps/notifier/src/probe.ts', `import '@trendcast/events/samples';`);

    expect(errors.map((m) => m.message)).toEqual([expect.stringContaining('Sample payloads are test fixtures.')]);
  });
});
