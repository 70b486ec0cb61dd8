import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { DomainError, type Words } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

/**
 * The rules of every field a user fills in, as TypeBox schemas. The web forms and the API
 * validate with them (each with its own wording of the whole form), and the domain checks
 * them again, so no adapter can store what the rules forbid. A rule's `errorMessage` is
 * its words, shown in the reader's language.
 */

/** The words of a broken rule, kept on its schema. */
const says = (template: string, values?: Words['values']): Words => ({ template, values });

export const USERNAME = Type.String({
  minLength: 3,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_.-]*$',
  errorMessage: says(
    msg('Use 3 to 64 letters, digits, dots, dashes or underscores, starting with a letter.'),
  ),
});
export const EMAIL = Type.String({ format: 'email', maxLength: 120 });
/** Passwords chosen on the web pages. */
export const NEW_PASSWORD = Type.String({
  minLength: 8,
  maxLength: 256,
  errorMessage: says(msg('Use {min} to {max} characters.'), { min: 8, max: 256 }),
});
/** The JSON API keeps microblog-api's shorter minimum, which its clients are built for. */
export const API_PASSWORD = Type.String({
  minLength: 3,
  maxLength: 256,
  errorMessage: says(msg('Use {min} to {max} characters.'), { min: 3, max: 256 }),
});
/** A password typed to prove who one is: any length a stored one can have. */
export const ANY_PASSWORD = Type.String({ minLength: 1, maxLength: 256 });
export const ABOUT_ME_MAX = 140;
export const ABOUT_ME = Type.String({
  maxLength: ABOUT_ME_MAX,
  errorMessage: says(msg('Use at most {limit} characters.'), { limit: ABOUT_ME_MAX }),
});
/** The longest private message, as in the Flask Microblog. */
export const MESSAGE_MAX = 140;
/** The longest post the database holds; the web form keeps the tutorial's 140. */
export const POST_MAX = 280;
export const WEB_POST_MAX = 140;

/** Say something in 1 to `max` characters: the rule of posts and messages. */
export const saySomething = (max: number) =>
  says(msg('Say something in 1 to {max} characters.'), { max });

/** The API's words for its text fields, which also refuse control characters. */
export const useCharacters = (max: number) =>
  says(msg('Use 1 to {max} characters, without control characters.'), { max });

/** Default words for a broken rule; a field's `errorMessage` overrides them. */
export function describeRule(keyword: string, params: Record<string, unknown>): Words {
  const limit = Number(params.limit);
  switch (keyword) {
    case 'required':
      return says(msg('This field is required.'));
    case 'minLength':
      return limit === 1
        ? says(msg('This field is required.'))
        : says(msg('Use at least {limit} characters.'), { limit });
    case 'maxLength':
      return says(msg('Use at most {limit} characters.'), { limit });
    case 'format':
      return params.format === 'email'
        ? says(msg('Enter a valid email address.'))
        : says(msg('This value is not valid.'));
    default:
      return says(msg('This value is not valid.'));
  }
}

/** The words for `keyword` broken on a schema: its own `errorMessage`, or the default. */
export function wordsFor(schema: unknown, keyword: string, params: unknown): Words {
  const custom = (schema as { errorMessage?: Words } | undefined)?.errorMessage;
  return custom ?? describeRule(keyword, params as Record<string, unknown>);
}

/** Throws a DomainError on `field` unless `value` follows `rule`. */
export function assertRule<T extends TSchema>(rule: T, value: unknown, field: string): Static<T> {
  const [issue] = Value.Errors(rule, value);
  if (!issue) return value as Static<T>;
  const { template, values } = wordsFor(rule, issue.keyword, issue.params);
  throw new DomainError(template, field, values);
}
