import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

const MAX_PAGE = 100_000;

/** The 1-based `?page=` number; anything but a plain positive integer is a 400. */
export function pageNumber(query: unknown): number {
  const value = (query as { page?: unknown } | undefined)?.page;
  if (value === undefined) return 1;
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value) || Number(value) > MAX_PAGE) {
    throw new HttpError(400, msg('The page number must be a whole number from 1.'));
  }
  return Number(value);
}

/**
 * Links to the neighbouring pages of `path`. Only the parameters in `keep` (a search's `q`)
 * go along; every other one of the request is left out.
 */
export function pageLinks(
  path: string,
  page: number,
  hasMore: boolean,
  keep: Record<string, string> = {},
) {
  const link = (to: number) => {
    const query = new URLSearchParams(keep);
    if (to > 1) query.set('page', String(to));
    const search = query.toString();
    return search ? `${path}?${search}` : path;
  };
  return {
    newer: page > 1 ? link(page - 1) : undefined,
    older: hasMore ? link(page + 1) : undefined,
  };
}
