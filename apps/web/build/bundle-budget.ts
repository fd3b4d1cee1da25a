import type { Plugin } from 'vite';
import { firstLoadChunks, gzipLevel, judgeFirstLoad, kb, sizeOf, type ChunkInfo } from './first-load.js';

export interface BundleBudgetOptions {
  /** The page module whose first load is budgeted, relative to the app, e.g. src/pages/auth/SignInPage.tsx. */
  page: string;
  label: string;
  budgetBytes: number;
  /** Modules that must never be part of that first load. */
  forbidden?: RegExp[];
}

/**
 * Prints every emitted chunk with its gzipped size, then the first-load JavaScript of one page,
 * and fails the build when that exceeds the budget or pulls in a forbidden module.
 */
export function bundleBudget(o: BundleBudgetOptions): Plugin {
  return {
    name: 'trendcast-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks: ChunkInfo[] = [];
      const others: { fileName: string; bytes: number; gzipBytes: number }[] = [];
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') {
          chunks.push({
            fileName: output.fileName,
            code: output.code,
            isEntry: output.isEntry,
            facadeModuleId: output.facadeModuleId,
            imports: output.imports,
            moduleIds: output.moduleIds,
          });
        } else if (/\.(css|html|svg)$/.test(output.fileName)) {
          const code = typeof output.source === 'string' ? output.source : Buffer.from(output.source).toString('utf8');
          others.push(sizeOf({ fileName: output.fileName, code }));
        }
      }
      const firstLoad = firstLoadChunks(chunks, o.page);
      const inFirstLoad = new Set(firstLoad.map((chunk) => chunk.fileName));
      const rows = [
        ...chunks.map((chunk) => ({ ...sizeOf(chunk), mark: inFirstLoad.has(chunk.fileName) ? '*' : ' ' })),
        ...others.map((other) => ({ ...other, mark: ' ' })),
      ].sort((a, b) => b.gzipBytes - a.gzipBytes);
      const width = Math.max(...rows.map((row) => row.fileName.length));
      const lines = [
        '',
        `Bundle sizes (gzip level ${gzipLevel}, as the gateway serves them; * = first load of ${o.label}):`,
        ...rows.map((row) => `  ${row.mark} ${row.fileName.padEnd(width)}  ${kb(row.bytes).padStart(9)}  ${kb(row.gzipBytes).padStart(9)} gzipped`),
      ];
      const verdict = judgeFirstLoad(firstLoad, o.budgetBytes, o.forbidden);
      lines.push(
        `First-load JavaScript of ${o.label}: ${kb(verdict.gzipBytes)} gzipped in ${firstLoad.length} chunk(s) (budget ${kb(o.budgetBytes)})`,
        '',
      );
      console.log(lines.join('\n'));
      if (verdict.forbiddenModules.length > 0) {
        this.error(`the first load of ${o.label} contains modules that must load lazily: ${verdict.forbiddenModules.join(', ')}`);
      }
      if (!verdict.withinBudget) {
        this.error(`the first load of ${o.label} is ${kb(verdict.gzipBytes)} gzipped, over its budget of ${kb(o.budgetBytes)}`);
      }
    },
  };
}
