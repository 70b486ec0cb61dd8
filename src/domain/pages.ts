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
