/** One page of a list, and whether another one follows. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

/**
 * The rows page `page` (from 1) of `perPage` needs: one more than fits, which tells whether
 * another page follows without counting the list.
 */
export function pageSlice(page: number, perPage: number) {
  return { offset: (page - 1) * perPage, limit: perPage + 1 };
}

/** The page, from the rows `pageSlice` asked for. */
export function toPage<T>(rows: T[], perPage: number): Page<T> {
  return { items: rows.slice(0, perPage), hasMore: rows.length > perPage };
}

/** A window of a list, where it starts in the whole list, and the list's length: the API's lists. */
export interface Windowed<T> {
  items: T[];
  offset: number;
  total: number;
}

/**
 * The window a list request asked for, from the list's counts: with an `after` cursor its
 * offset is how many items are at or newer than the cursor (as microblog-api reports it);
 * an offset past the end reads nothing.
 */
export async function countedWindow<T>(
  counts: { total: number; newer: number },
  window: { offset: number; after?: unknown },
  read: () => Promise<T[]>,
): Promise<Windowed<T>> {
  const { total } = counts;
  const offset = window.after !== undefined ? counts.newer : window.offset;
  if (window.after === undefined && offset >= total) return { items: [], offset, total };
  return { items: await read(), offset, total };
}
