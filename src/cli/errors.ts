import { isUserMistake } from '../errors.ts';

/**
 * Prints one line on stderr and exits non-zero: 1 for a user's mistake, which never shows
 * a stack trace; 2 for an unexpected failure, whose stack MICROBLOG_DEBUG=1 also prints.
 */
export function reportAndExit(error: unknown): never {
  const known = isUserMistake(error);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`microblog: ${known ? '' : 'error: '}${message.split('\n')[0]}\n`);
  if (!known && process.env.MICROBLOG_DEBUG && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(known ? 1 : 2);
}
