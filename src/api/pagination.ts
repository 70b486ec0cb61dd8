import { FORBIDDEN_CHARACTERS_MESSAGE, hasForbiddenCharacters } from '../domain/input.ts';
import { ValidationError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

export const MAX_LIMIT = 25;

/** What a list request asked for: `limit`, and either `offset` or an `after` cursor. */
export interface PageRequest {
  limit: number;
  offset: number;
  /** The ordering field's value of the last item seen: an ISO time for posts, a username for users. */
  after?: string;
}

function integer(query: Record<string, unknown>, field: string): number | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d{1,15}$/.test(value)) {
    throw new ValidationError('query', field, msg('Not a valid integer.'));
  }
  return Number(value);
}

/** Parses `limit`, `offset` and `after`; every bad value is a 400 that names it. */
export function parsePageRequest(query: unknown): PageRequest {
  const values = (query ?? {}) as Record<string, unknown>;
  const limit = integer(values, 'limit') ?? MAX_LIMIT;
  // Out of range is a bare 400 in microblog-api ("Bad Request"), not a validation error.
  const plain = { plain: true };
  if (limit < 1)
    throw new ValidationError('query', 'limit', msg('Must be greater than or equal to 1.'), plain);
  const offset = integer(values, 'offset');
  if (offset !== undefined && offset < 0) {
    throw new ValidationError('query', 'offset', msg('Must be greater than or equal to 0.'), plain);
  }
  const after = values.after;
  if (after !== undefined && typeof after !== 'string')
    throw new ValidationError('query', 'after', msg('Not a valid string.'));
  if (after !== undefined && hasForbiddenCharacters(after))
    throw new ValidationError('query', 'after', FORBIDDEN_CHARACTERS_MESSAGE);
  if (after !== undefined && offset !== undefined) {
    throw new ValidationError('query', 'after', msg('Cannot be used together with offset.'));
  }
  return { limit: Math.min(limit, MAX_LIMIT), offset: offset ?? 0, after };
}

// ISO 8601 as clients send it: a date, optionally a time, optionally a zone.
const ISO_TIME = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)?)?$/i;

/**
 * The `after` cursor of a post list, as a Date; a bad one is a 400. Only ISO 8601 is
 * accepted, and a time without a zone is UTC, as in microblog-api (JavaScript's own
 * parsing would take "Nov 5 2021" and read zoneless times in the server's zone).
 */
export function afterTime(request: PageRequest): Date | undefined {
  if (request.after === undefined) return undefined;
  const match = ISO_TIME.exec(request.after);
  const zoneless = match && request.after.length > 10 && match[1] === undefined;
  const time = new Date(match ? `${request.after}${zoneless ? 'Z' : ''}` : Number.NaN);
  if (Number.isNaN(time.getTime()))
    throw new ValidationError('query', 'after', msg('Not a valid datetime.'));
  return time;
}

/**
 * The reply to a list request. An offset past the end of a non-empty list is a 400,
 * as in microblog-api.
 */
export function pageReply<T>(data: T[], request: PageRequest, total: number) {
  if (request.after === undefined && total > 0 && request.offset >= total) {
    throw new ValidationError('query', 'offset', msg('Offset is past the end of the list.'), {
      plain: true,
    });
  }
  return {
    data,
    pagination: { offset: request.offset, limit: request.limit, count: data.length, total },
  };
}
