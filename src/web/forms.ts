import type { Static, TObject } from 'typebox';
import Value from 'typebox/value';
import { FORBIDDEN_CHARACTERS_MESSAGE, hasForbiddenCharacters } from '../domain/input.ts';
import { wordsFor } from '../domain/rules.ts';
import type { DomainError, Translate } from '../errors.ts';

export type FieldErrors = Record<string, string>;

export type FormResult<T extends TObject> =
  | { ok: true; data: Static<T> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Every form value as a string, whatever the body parser produced (arrays keep the first). */
function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return values;
  for (const [key, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    // Browsers send textarea newlines as CRLF but count them as one character.
    if (typeof first === 'string') values[key] = first.replace(/\r\n/g, '\n');
  }
  return values;
}

/**
 * Validates an HTML form body against a TypeBox schema, returning either the typed data
 * or one message per field, in the page's language, so the page can show it beside the
 * input.
 */
export function validateForm<T extends TObject>(
  schema: T,
  body: unknown,
  t: Translate,
): FormResult<T> {
  const values = formValues(body);
  // Browsers trim email inputs; do the same for every client.
  const isEmail = (key: string) =>
    (schema.properties[key] as { format?: string }).format === 'email';
  const candidate = Object.fromEntries(
    Object.keys(schema.properties)
      .filter((key) => key in values)
      .map((key) => [key, isEmail(key) ? values[key].trim() : values[key]]),
  );
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (hasForbiddenCharacters(value)) errors[key] = t(FORBIDDEN_CHARACTERS_MESSAGE);
  }
  for (const error of Value.Errors(schema, candidate)) {
    const field =
      error.keyword === 'required'
        ? String((error.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? '')
        : error.instancePath.slice(1);
    if (!field || errors[field]) continue;
    const { template, values: filled } = wordsFor(
      schema.properties[field],
      error.keyword,
      error.params,
    );
    errors[field] = t(template, filled);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, data: candidate as Static<T> };
}

/** A DomainError naming a field, as the form shows it beside that field. */
export function fieldErrorOf(error: DomainError, t: Translate): FieldErrors {
  return error.field ? { [error.field]: t(error.words.template, error.words.values) } : {};
}
