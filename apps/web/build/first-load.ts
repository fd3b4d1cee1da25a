import { gzipSync } from 'node:zlib';

/** What the budget needs to know of one emitted JavaScript chunk. */
export interface ChunkInfo {
  fileName: string;
  code: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  /** Chunks this one imports statically: the browser loads them before it runs. */
  imports: string[];
  moduleIds: string[];
}

export interface SizedChunk {
  fileName: string;
  bytes: number;
  gzipBytes: number;
}

/** The gateway compresses with gzip level 6 (gzip_comp_level in gateway/nginx.conf): measure what travels. */
export const gzipLevel = 6;

export function sizeOf(chunk: Pick<ChunkInfo, 'fileName' | 'code'>): SizedChunk {
  const bytes = Buffer.byteLength(chunk.code);
  return { fileName: chunk.fileName, bytes, gzipBytes: gzipSync(chunk.code, { level: gzipLevel }).length };
}

function withStaticImports(start: ChunkInfo[], byName: Map<string, ChunkInfo>): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const chunk = queue.pop()!;
    if (seen.has(chunk.fileName)) continue;
    seen.add(chunk.fileName);
    for (const name of chunk.imports) {
      const imported = byName.get(name);
      if (imported) queue.push(imported);
    }
  }
  return seen;
}

/**
 * The JavaScript a browser must download to show `pageModule` on a first visit: the entry chunks,
 * the page's own (lazy) chunk, and everything either imports statically. Other lazy routes are not part of it.
 */
export function firstLoadChunks(chunks: ChunkInfo[], pageModule: string): ChunkInfo[] {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const normalized = pageModule.replaceAll('\\', '/');
  const page = chunks.find((chunk) => chunk.facadeModuleId?.replaceAll('\\', '/').endsWith(normalized));
  const inPage = page ? [] : chunks.filter((chunk) => chunk.moduleIds.some((id) => id.replaceAll('\\', '/').endsWith(normalized)));
  if (!page && inPage.length === 0) throw new Error(`no chunk contains ${pageModule}`);
  const names = withStaticImports([...chunks.filter((chunk) => chunk.isEntry), ...(page ? [page] : inPage)], byName);
  return chunks.filter((chunk) => names.has(chunk.fileName));
}

export interface BudgetVerdict {
  gzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  /** Modules in the first load that must stay in lazy chunks (e.g. the chart library). */
  forbiddenModules: string[];
}

export function judgeFirstLoad(firstLoad: ChunkInfo[], budgetBytes: number, forbidden: RegExp[] = []): BudgetVerdict {
  const gzipBytes = firstLoad.reduce((sum, chunk) => sum + sizeOf(chunk).gzipBytes, 0);
  const forbiddenModules = firstLoad.flatMap((chunk) => chunk.moduleIds.filter((id) => forbidden.some((pattern) => pattern.test(id))));
  return { gzipBytes, budgetBytes, withinBudget: gzipBytes <= budgetBytes && forbiddenModules.length === 0, forbiddenModules };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
