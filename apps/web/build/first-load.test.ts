import { describe, expect, it } from 'vitest';
import { firstLoadChunks, judgeFirstLoad, type ChunkInfo } from './first-load.js';

const chunk = (fileName: string, o: Partial<ChunkInfo> = {}): ChunkInfo => ({
  fileName,
  code: 'x'.repeat(100),
  isEntry: false,
  facadeModuleId: null,
  imports: [],
  moduleIds: [],
  ...o,
});

const chunks = [
  chunk('index.js', { isEntry: true, imports: ['react.js'], moduleIds: ['/app/src/main.tsx'] }),
  chunk('react.js', { moduleIds: ['/app/node_modules/react/index.js'] }),
  chunk('SignInPage.js', { facadeModuleId: '/app/src/pages/auth/SignInPage.tsx', imports: ['Field.js'], moduleIds: ['/app/src/pages/auth/SignInPage.tsx'] }),
  chunk('Field.js', { moduleIds: ['/app/src/components/Field.tsx'] }),
  chunk('SearchPage.js', { facadeModuleId: '/app/src/pages/searches/SearchPage.tsx', imports: ['Field.js'], moduleIds: ['/app/node_modules/uplot/dist/uPlot.esm.js'] }),
];

describe('first-load budget', () => {
  it('when a page is lazy, then its first load is the entry, the page chunk and their static imports, and no other route', () => {
    const names = firstLoadChunks(chunks, 'src/pages/auth/SignInPage.tsx').map((c) => c.fileName).sort();

    expect(names).toEqual(['Field.js', 'SignInPage.js', 'index.js', 'react.js']);
  });

  it('when the first load is over the budget, then the verdict says so', () => {
    const firstLoad = firstLoadChunks(chunks, 'src/pages/auth/SignInPage.tsx');

    expect(judgeFirstLoad(firstLoad, 1_000_000).withinBudget).toBe(true);
    expect(judgeFirstLoad(firstLoad, 10).withinBudget).toBe(false);
  });

  it('when a forbidden module (the chart library) is in the first load, then the verdict fails and names it', () => {
    const leaky = chunks.map((c) => (c.fileName === 'Field.js' ? { ...c, moduleIds: [...c.moduleIds, '/app/node_modules/uplot/dist/uPlot.esm.js'] } : c));

    const verdict = judgeFirstLoad(firstLoadChunks(leaky, 'src/pages/auth/SignInPage.tsx'), 1_000_000, [/node_modules\/uplot\//]);

    expect(verdict.withinBudget).toBe(false);
    expect(verdict.forbiddenModules).toEqual(['/app/node_modules/uplot/dist/uPlot.esm.js']);
    expect(judgeFirstLoad(firstLoadChunks(chunks, 'src/pages/auth/SignInPage.tsx'), 1_000_000, [/node_modules\/uplot\//]).withinBudget).toBe(true);
  });

  it('when the page is in no chunk, then it fails loudly instead of measuring the wrong thing', () => {
    expect(() => firstLoadChunks(chunks, 'src/pages/Missing.tsx')).toThrow(/no chunk contains/);
  });
});
