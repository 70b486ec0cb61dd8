import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { DomainError } from '../errors.ts';

/**
 * The rules of every field a user fills in, as TypeBox schemas. The web forms and the API
 * validate with them (each with its own wording of the whole form), and the domain checks
 * them again, so no adapter can store what the rules forbid.
 */

export const USERNAME = Type.String({
  minLength: 3,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_.-]*$',
  errorMessage: 'Use 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter.',
});
export const EMAIL = Type.String({ format: 'email', maxLength: 120 });
/** Passwords chosen on the web pages. */
export const NEW_PASSWORD = Type.String({
  minLength: 8,
  maxLength: 256,
  errorMessage: 'Use 8 to 256 characters.',
});
/** The JSON API keeps microblog-api's shorter minimum, which its clients are built for. */
export const API_PASSWORD = Type.String({
  minLength: 3,
  maxLength: 256,
  errorMessage: 'Use 3 to 256 characters.',
});
/** A password typed to prove who one is: any length a stored one can have. */
export const ANY_PASSWORD = Type.String({ minLength: 1, maxLength: 256 });
export const ABOUT_ME_MAX = 140;
export const ABOUT_ME = Type.String({
  maxLength: ABOUT_ME_MAX,
  errorMessage: `Use at most ${ABOUT_ME_MAX} characters.`,
});
/** The longest private message, as in the Flask Microblog. */
export const MESSAGE_MAX = 140;
/** The longest post the database holds; the web form keeps the tutorial's 140. */
export const POST_MAX = 280;
export const WEB_POST_MAX = 140;

/** Default words for a broken rule; a field's `errorMessage` overrides them. */
export function describeRule(keyword: string, params: Record<string, unknown>): string {
  switch (keyword) {
    case 'required':
      return 'This field is required.';
    case 'minLength':
      return params.limit === 1
        ? 'This field is required.'
        : `Use at least ${params.limit} characters.`;
    case 'maxLength':
      return `Use at most ${params.limit} characters.`;
    case 'format':
      return params.format === 'email'
        ? 'Enter a valid email address.'
        : 'This value is not valid.';
    default:
      return 'This value is not valid.';
  }
}

/** Throws a DomainError on `field` unless `value` follows `rule`. */
export function assertRule<T extends TSchema>(rule: T, value: unknown, field: string): Static<T> {
  const [issue] = Value.Errors(rule, value);
  if (!issue) return value as Static<T>;
  const custom = (rule as { errorMessage?: string }).errorMessage;
  throw new DomainError(
    custom ?? describeRule(issue.keyword, issue.params as Record<string, unknown>),
    field,
  );
}
