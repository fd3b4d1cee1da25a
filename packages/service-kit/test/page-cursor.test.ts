import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodePageCursor, HttpError, pageOf, pagePositionFrom } from '../src/index.js';

const rows = [3, 2, 1].map((day) => ({ id: randomUUID(), createdAt: new Date(Date.UTC(2030, 0, day)) }));
const keyOf = (row: (typeof rows)[number]) => ({ at: row.createdAt, id: row.id });

describe('page cursors', () => {
  it('when more rows than the limit were read, then the page stops at the limit and its cursor names its last row', () => {
    const page = pageOf(rows, 2, keyOf);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(pagePositionFrom(page.nextCursor!)).toEqual({ at: rows[1]!.createdAt.toISOString(), id: rows[1]!.id });
    expect(page.nextCursor).toMatch(/^[\w-]+$/);
  });

  it('when no more rows than the limit were read, then there is no next cursor', () => {
    expect(pageOf(rows, 3, keyOf).nextCursor).toBeNull();
    expect(pageOf([], 3, keyOf)).toEqual({ items: [], nextCursor: null });
  });

  it('when a cursor was not handed out by the API, then it is a 400, and no cursor is no position', () => {
    expect(pagePositionFrom(undefined)).toBeUndefined();
    for (const foreign of ['not-ours', Buffer.from('{"id":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      expect(() => pagePositionFrom(foreign)).toThrow(HttpError);
      try {
        pagePositionFrom(foreign);
      } catch (error) {
        expect(error).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
      }
    }
    expect(pagePositionFrom(encodePageCursor({ at: rows[0]!.createdAt, id: rows[0]!.id }))).toEqual({ at: rows[0]!.createdAt.toISOString(), id: rows[0]!.id });
  });
});
