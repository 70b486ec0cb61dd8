import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { wordsFor } from '../domain/rules.ts';
import { inEnglish, type Words } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

type Issue = Pick<
  FastifySchemaValidationError,
  'keyword' | 'instancePath' | 'schemaPath' | 'params' | 'message'
>;
type FieldSchemas = Record<string, unknown>;

const words = (template: string): Words => ({ template });

/** One `[field, words]` per problem an issue names; none for issues another one covers. */
function describeIssue(issue: Issue, fields: FieldSchemas): [string, Words][] {
  const params = issue.params as Record<string, unknown>;
  const field = issue.instancePath.split('/')[1] ?? '';
  switch (issue.keyword) {
    case 'required':
      return ((params.requiredProperties as string[]) ?? []).map((name) => [
        name,
        words(msg('Missing data for required field.')),
      ]);
    case 'additionalProperties':
      return ((params.additionalProperties as string[]) ?? []).map((name) => [
        name,
        words(msg('Unknown field.')),
      ]);
    case 'type':
      return field
        ? [[field, { template: msg('Not a valid {type}.'), values: { type: String(params.type) } }]]
        : [['_schema', words(msg('Invalid input type.'))]];
    case 'anyOf':
      return [[field, wordsFor(fields[field], 'anyOf', params)]];
    default:
      return [[field, wordsFor(fields[field], issue.keyword, params)]];
  }
}

/**
 * The API's validator. Fastify's default Ajv coerces types (`123` would pass as the text
 * "123") and stops at the first failure; the API refuses wrong JSON types and, like
 * microblog-api, reports every bad field at once, one message each, in words a client
 * can show under the field. Each issue carries its words, which the error handler puts in
 * the request's language.
 */
export const strictValidator: FastifySchemaCompiler<TSchema> = ({ schema }) => {
  const check = Compile(schema);
  const fields: FieldSchemas = (schema as { properties?: FieldSchemas }).properties ?? {};
  const isObject = (schema as { type?: string }).type === 'object';
  return (given) => {
    // No body at all is an empty object, as in microblog-api: its fields are "missing".
    const value = given == null && isObject ? {} : given;
    if (check.Check(value)) return { value };
    const messages = new Map<string, Words>();
    for (const issue of check.Errors(value) as Issue[]) {
      // A union's branches, and the `false` schema of an extra property, fail alongside
      // the issue that describes them.
      if (issue.keyword === 'boolean' || /\/anyOf\/\d/.test(issue.schemaPath)) continue;
      for (const [field, said] of describeIssue(issue, fields)) {
        if (!messages.has(field)) messages.set(field, said);
      }
    }
    const error = [...messages].map(([field, said]) => ({
      keyword: 'api',
      instancePath: field === '_schema' ? '' : `/${field}`,
      schemaPath: '',
      params: { words: said },
      message: inEnglish(said),
    }));
    return { error: error as never };
  };
};
