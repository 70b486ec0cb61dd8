import { STATUS_CODES } from 'node:http';
import type { FastifyError } from 'fastify';

/** The API's error body, as microblog-api sends it. */
export interface ApiErrorBody {
  code: number;
  message: string;
  description: string;
  errors?: Record<string, Record<string, string[]>>;
}

export function apiError(code: number, description: string): ApiErrorBody {
  return { code, message: STATUS_CODES[code] ?? 'Error', description };
}

// Where Fastify found the bad value, named as microblog-api's clients expect.
const LOCATIONS: Record<string, string> = {
  body: 'json',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

/**
 * A 400 "Validation Error" whose `errors` lists messages by location and field, e.g.
 * `{"json": {"username": ["..."]}}`, which clients show under each form field.
 */
export function validationError(error: FastifyError): ApiErrorBody {
  const location = LOCATIONS[error.validationContext ?? 'body'] ?? 'json';
  const fields: Record<string, string[]> = {};
  for (const issue of error.validation ?? []) {
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const field = missing ?? (issue.instancePath.split('/').filter(Boolean).join('.') || '_schema');
    const message = missing
      ? 'Missing data for required field.'
      : (issue.message ?? 'Invalid value.');
    fields[field] = [...(fields[field] ?? []), message];
  }
  return {
    ...apiError(400, 'The request did not validate.'),
    message: 'Validation Error',
    errors: { [location]: fields },
  };
}

/** A validation failure found by a handler rather than a route schema. */
export class ApiValidationError extends Error {
  override name = 'ApiValidationError';
  readonly statusCode = 400;
  readonly errors: Record<string, Record<string, string[]>>;

  constructor(location: 'json' | 'query' | 'path', field: string, message: string) {
    super(message);
    this.errors = { [location]: { [field]: [message] } };
  }

  body(): ApiErrorBody {
    return {
      ...apiError(400, 'The request did not validate.'),
      message: 'Validation Error',
      errors: this.errors,
    };
  }
}
