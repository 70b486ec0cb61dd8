// Matched by name so that loading this module stays cheap for `microblog --help`.
const USER_ERRORS = new Set([
  'ConfigError',
  'ConnectionError',
  'MigrationError',
  'LockTimeoutError',
  'DomainError',
]);

/**
 * Prints one line on stderr and exits non-zero. A user's mistake never shows a stack
 * trace; an unexpected failure shows one only when MICROBLOG_DEBUG is set.
 */
export function reportAndExit(error: unknown): never {
  const known = error instanceof Error && USER_ERRORS.has(error.name);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`microblog: ${known ? '' : 'error: '}${message.split('\n')[0]}\n`);
  if (!known && process.env.MICROBLOG_DEBUG && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(known ? 1 : 2);
}
