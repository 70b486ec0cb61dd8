import { STATUS_CODES } from 'node:http';
import { IntlMessageFormat } from 'intl-messageformat';

/**
 * The one error module. Every mistake a user can make is a `UserError`: the web shows its
 * message on an error page or beside a form field, the API answers it as JSON, and the CLI
 * prints it as one line with exit status 1. Anything else is a failure of ours: logged
 * with its stack, shown only as "an unexpected error", exit status 2 on the command line.
 * docs/decisions/0007-one-error-module.md
 */
export class UserError extends Error {
  override name = 'UserError';
  /** The HTTP status the web pages and the API answer with. */
  readonly statusCode: number = 400;
  /** The message as written, for the web and the API to show in the reader's language. */
  readonly words: Words;

  constructor(template: string, values?: MessageValues) {
    const words = { template, values };
    super(inEnglish(words));
    this.words = words;
  }
}

export type MessageValues = Record<string, string | number | Date>;

/**
 * A message to show: ICU MessageFormat in English, and its values. The web and the API
 * translate it (src/i18n); `message` holds it in English, for logs and the command line.
 */
export interface Words {
  template: string;
  values?: MessageValues;
}

/** Puts a message's words together in English. */
export function inEnglish({ template, values }: Words): string {
  return values ? String(new IntlMessageFormat(template, 'en').format(values)) : template;
}

/** Translates a message's words: into the reader's language, or English by default. */
export type Translate = (template: string, values?: MessageValues) => string;

/**
 * A rule of the domain that the input broke. `field` names the input at fault (a form
 * field, a JSON property), so the message can be shown beside it.
 */
export class DomainError extends UserError {
  override name = 'DomainError';
  readonly field?: string;

  constructor(template: string, field?: string, values?: MessageValues) {
    super(template, values);
    this.field = field;
  }
}

/** A user's mistake that is only about HTTP: a missing page, a bad page number, a 429. */
export class HttpError extends UserError {
  override name = 'HttpError';
  override readonly statusCode: number;

  constructor(statusCode: number, template: string, values?: MessageValues) {
    super(template, values);
    this.statusCode = statusCode;
  }
}

/** Where a bad value was found, named as microblog-api's clients read it. */
export type InputLocation = 'json' | 'query' | 'path' | 'form';

/**
 * Bad values in a request, by location and field (`{json: {username: ['...']}}`). The API
 * answers it as a 400 "Validation Error" listing every field; `message` says it in one line.
 * A `plain` one is what microblog-api answers as a bare 400 ("Bad Request"): the API keeps
 * that reason phrase, and still lists the field, which clients read.
 */
export class ValidationError extends UserError {
  override name = 'ValidationError';
  readonly fields: FieldWords;
  readonly plain: boolean;

  constructor(
    location: InputLocation,
    field: string,
    template: string,
    { plain = false, values }: { plain?: boolean; values?: MessageValues } = {},
  ) {
    super(template, values);
    this.fields = { [location]: { [field]: [{ template, values }] } };
    this.plain = plain;
  }
}

/** Messages by location and field. */
type FieldWords = Partial<Record<InputLocation, Record<string, Words[]>>>;
export type FieldMessages = Partial<Record<InputLocation, Record<string, string[]>>>;

/** `DATABASE_URL` and other settings; printed as one line at start-up. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
}

/** The database cannot be reached or opened. */
export class ConnectionError extends UserError {
  override name = 'ConnectionError';
  override readonly statusCode = 503;
}

/** A mistake in a `db` command's arguments, or a database in the wrong state for it. */
export class MigrationError extends UserError {
  override name = 'MigrationError';
}

/** Another process held the migration lock for too long. */
export class LockTimeoutError extends UserError {
  override name = 'LockTimeoutError';
}

/** The status an error answers with: a user's mistake keeps its own, anything else is a 500. */
export function statusOf(error: unknown): number {
  // Fastify's own errors (a 413 body, a 415 type, a bad route schema) carry a statusCode too.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** Whether the error's message is meant for the user, rather than a failure to log and hide. */
export function isUserMistake(error: unknown): boolean {
  return error instanceof UserError || statusOf(error) < 500;
}

/** The API's error body, as microblog-api sends it. */
export interface ApiErrorBody {
  code: number;
  message: string;
  description: string;
  errors?: FieldMessages;
}

/** The reason phrase of a status, as microblog-api puts it in `message`. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** An error body with the reason phrase as `message`. */
export function apiErrorBody(status: number, description: string): ApiErrorBody {
  return { code: status, message: reasonPhrase(status), description };
}

/** How an error is shown, whichever adapter shows it. */
export interface ErrorDescription {
  status: number;
  /** Words for the user; for an unexpected error, only that one happened. */
  message: string;
  /** Messages by location and field, when the request did not validate. */
  fields?: FieldMessages;
  /** A bad request that microblog-api reports with its reason phrase, not "Validation Error". */
  plain?: boolean;
  /** Not the user's doing: log it, with its stack, and show nothing of it. */
  unexpected: boolean;
}

/** A failure of a route schema, as Fastify reports it. */
interface SchemaFailure {
  validation: {
    instancePath: string;
    message?: string;
    /** Our validator's issues carry their words (src/api/validation.ts). */
    params?: { missingProperty?: string; words?: Words };
  }[];
  validationContext?: string;
}

// Where Fastify found the bad value, named as microblog-api's clients expect.
const SCHEMA_LOCATIONS: Record<string, InputLocation> = {
  body: 'json',
  querystring: 'query',
  params: 'path',
};

function schemaFields(failure: SchemaFailure): FieldWords {
  const fields: Record<string, Words[]> = {};
  for (const issue of failure.validation) {
    const missing = issue.params?.missingProperty;
    const field = missing ?? (issue.instancePath.split('/').filter(Boolean).join('.') || '_schema');
    const words = missing
      ? { template: 'Missing data for required field.' }
      : (issue.params?.words ?? { template: issue.message ?? 'Invalid value.' });
    fields[field] = [...(fields[field] ?? []), words];
  }
  return { [SCHEMA_LOCATIONS[failure.validationContext ?? 'body'] ?? 'json']: fields };
}

/** Field messages in the reader's words. */
function translated(fields: FieldWords, t: Translate): FieldMessages {
  return Object.fromEntries(
    Object.entries(fields).map(([location, byField]) => [
      location,
      Object.fromEntries(
        Object.entries(byField ?? {}).map(([field, list]) => [
          field,
          list.map(({ template, values }) => t(template, values)),
        ]),
      ),
    ]),
  );
}

/**
 * What to show for an error. A DomainError naming a field becomes a field message at
 * `location` (where the adapter reads its input), so a form or an API client shows it
 * beside the field.
 */
export function describeError(
  error: unknown,
  location: InputLocation,
  t: Translate = (template, values) => inEnglish({ template, values }),
): ErrorDescription {
  const status = statusOf(error);
  if (status >= 500) {
    return { status: 500, message: t('An unexpected error has occurred.'), unexpected: true };
  }
  const message =
    error instanceof UserError
      ? t(error.words.template, error.words.values)
      : error instanceof Error
        ? error.message
        : String(error);
  const failure = error as Partial<SchemaFailure>;
  const described = (fields: FieldWords, plain?: boolean) => ({
    status,
    message,
    fields: translated(fields, t),
    plain,
    unexpected: false,
  });
  if (Array.isArray(failure.validation)) return described(schemaFields(failure as SchemaFailure));
  if (error instanceof ValidationError) return described(error.fields, error.plain);
  if (error instanceof DomainError && error.field)
    return described({ [location]: { [error.field]: [error.words] } });
  return { status, message, unexpected: false };
}
