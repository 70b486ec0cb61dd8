import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describeRule } from '../domain/rules.ts';

type Issue = Pick<
  FastifySchemaValidationError,
  'keyword' | 'instancePath' | 'schemaPath' | 'params' | 'message'
>;
type FieldSchemas = Record<string, { errorMessage?: string }>;

/** One `[field, message]` per problem an issue names; none for issues another one covers. */
function describeIssue(issue: Issue, fields: FieldSchemas): [string, string][] {
  const params = issue.params as Record<string, unknown>;
  const field = issue.instancePath.split('/')[1] ?? '';
  switch (issue.keyword) {
    case 'required':
      return ((params.requiredProperties as string[]) ?? []).map((name) => [
        name,
        'Missing data for required field.',
      ]);
    case 'additionalProperties':
      return ((params.additionalProperties as string[]) ?? []).map((name) => [
        name,
        'Unknown field.',
      ]);
    case 'type':
      return field
        ? [[field, `Not a valid ${String(params.type)}.`]]
        : [['_schema', 'Invalid input type.']];
    case 'anyOf':
      return [[field, fields[field]?.errorMessage ?? 'Invalid value.']];
    default:
      return [[field, fields[field]?.errorMessage ?? describeRule(issue.keyword, params)]];
  }
}

/**
 * The API's validator. Fastify's default Ajv coerces types (`123` would pass as the text
 * "123") and stops at the first failure; the API refuses wrong JSON types and, like
 * microblog-api, reports every bad field at once, one message each, in words a client
 * can show under the field.
 */
export const strictValidator: FastifySchemaCompiler<TSchema> = ({ schema }) => {
  const check = Compile(schema);
  const fields: FieldSchemas = (schema as { properties?: FieldSchemas }).properties ?? {};
  const isObject = (schema as { type?: string }).type === 'object';
  return (given) => {
    // No body at all is an empty object, as in microblog-api: its fields are "missing".
    const value = given == null && isObject ? {} : given;
    if (check.Check(value)) return { value };
    const messages = new Map<string, string>();
    for (const issue of check.Errors(value) as Issue[]) {
      // A union's branches, and the `false` schema of an extra property, fail alongside
      // the issue that describes them.
      if (issue.keyword === 'boolean' || /\/anyOf\/\d/.test(issue.schemaPath)) continue;
      for (const [field, message] of describeIssue(issue, fields)) {
        if (!messages.has(field)) messages.set(field, message);
      }
    }
    const error = [...messages].map(([field, message]) => ({
      keyword: 'api',
      instancePath: field === '_schema' ? '' : `/${field}`,
      schemaPath: '',
      params: {},
      message,
    }));
    return { error: error as never };
  };
};
