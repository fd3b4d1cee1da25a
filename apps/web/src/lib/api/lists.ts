import { z } from 'zod';

/** Every list answer: one page of items, newest first, and where the next page starts. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable().optional().transform((value) => value ?? null) });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
