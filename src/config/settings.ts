import { type DatabaseConfig, parseDatabaseUrl } from './database-url.ts';
import {
  boolean,
  emails,
  httpUrl,
  integer,
  oneOf,
  origins,
  type Parser,
  path,
  rateLimit,
  redisUrl,
  secretKey,
  text,
  trustProxy,
} from './parsers.ts';

/** One environment variable: its name, its default, how it is read, and what it means. */
export interface Setting<T> {
  env: string;
  /** The default as the README's configuration table shows it. */
  shownDefault: string;
  description: string;
  read(raw: string | undefined, base: string): T;
}

/** A setting with a default: an unset or empty variable means `defaultText`. */
function setting<T>(
  env: string,
  defaultText: string,
  parse: Parser<T>,
  description: string,
  shownDefault = `\`${defaultText}\``,
) {
  return {
    env,
    shownDefault,
    description,
    read: (raw, base) => parse(raw || defaultText, env, base),
  } satisfies Setting<T>;
}

/** A setting that may stay unset. */
function optional<T>(env: string, parse: Parser<T>, description: string, shownDefault = 'unset') {
  return {
    env,
    shownDefault,
    description,
    read: (raw, base) => (raw ? parse(raw, env, base) : undefined),
  } satisfies Setting<T | undefined>;
}

const database: Parser<DatabaseConfig> = (value, _name, base) => parseDatabaseUrl(value, base);

/** Comma-separated database URLs, each read like DATABASE_URL. */
const databases: Parser<DatabaseConfig[]> = (value, _name, base) =>
  value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '')
    .map((url) => parseDatabaseUrl(url, base, 'DATABASE_REPLICA_URLS'));

/**
 * Every setting of Microblog, in one table: the README's configuration table lists the same
 * names and defaults (a test checks it). Relative paths resolve against the project folder.
 * docs/decisions/0008-config-table.md
 */
export const SETTINGS = {
  database: setting('DATABASE_URL', 'sqlite:///app.db', database, 'The database.'),
  databaseReplicas: optional(
    'DATABASE_REPLICA_URLS',
    databases,
    'PostgreSQL read replicas for the hot pages, comma-separated.',
  ),
  replicaPinSeconds: setting(
    'REPLICA_PIN_SECONDS',
    '5',
    integer(1, 3600),
    'How long a client that wrote reads from the primary.',
  ),
  preparedStatements: setting(
    'DATABASE_PREPARED_STATEMENTS',
    'true',
    boolean,
    'Named prepared statements for the hot reads on PostgreSQL.',
  ),
  secretKey: optional(
    'SECRET_KEY',
    secretKey,
    'Signs sessions and tokens; at least 32 characters.',
    'generated',
  ),
  host: setting('HOST', 'localhost', text, 'Address to listen on.'),
  port: setting('PORT', '5000', integer(0, 65535), 'Port to listen on.'),
  logLevel: setting(
    'LOG_LEVEL',
    'info',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'pino log level.',
  ),
  logFile: optional('LOG_FILE', path, 'Also write logs to this file, rotated.'),
  instanceDir: setting('INSTANCE_DIR', 'instance', path, 'Folder for machine-local files.'),
  baseUrl: optional(
    'BASE_URL',
    httpUrl({ origin: true }),
    'Public origin of emailed links and API URLs.',
    "the request's origin",
  ),
  trustProxy: setting('TRUST_PROXY', 'false', trustProxy, 'Trust X-Forwarded-* from a proxy.'),
  postsPerPage: setting('POSTS_PER_PAGE', '25', integer(1, 100), 'Posts per page.'),
  avatarProvider: setting(
    'AVATAR_PROVIDER',
    'identicon',
    oneOf('identicon', 'gravatar'),
    'Where avatars come from.',
  ),
  mail: {
    server: optional('MAIL_SERVER', text, 'SMTP host; unset writes mail to MAIL_OUTBOX_DIR.'),
    port: setting('MAIL_PORT', '25', integer(1, 65535), 'SMTP port.'),
    useTls: setting('MAIL_USE_TLS', 'false', boolean, 'TLS or STARTTLS.'),
    username: optional('MAIL_USERNAME', text, 'SMTP login.'),
    password: optional('MAIL_PASSWORD', text, 'SMTP password.'),
    defaultSender: setting(
      'MAIL_DEFAULT_SENDER',
      'Microblog <no-reply@localhost>',
      text,
      'The From address.',
    ),
    outboxDir: setting('MAIL_OUTBOX_DIR', 'mail-outbox', path, 'Where unsent mail is written.'),
  },
  admins: setting('ADMINS', '', emails, 'Who is emailed about unexpected errors.', 'none'),
  bodyLimit: setting(
    'BODY_LIMIT',
    '1048576',
    integer(1024, 100 * 1024 * 1024),
    'Largest request body, in bytes.',
  ),
  corsOrigins: setting('CORS_ORIGINS', '*', origins, 'Origins allowed to call the API.'),
  translation: {
    microsoftKey: optional('MS_TRANSLATOR_KEY', text, 'Microsoft Translator key.'),
    microsoftRegion: optional('MS_TRANSLATOR_REGION', text, 'Microsoft Translator region.'),
    microsoftUrl: setting(
      'MS_TRANSLATOR_URL',
      'https://api.cognitive.microsofttranslator.com',
      httpUrl({ origin: false }),
      'Microsoft Translator endpoint.',
    ),
    libreTranslateUrl: optional(
      'LIBRETRANSLATE_URL',
      httpUrl({ origin: false }),
      'A LibreTranslate server.',
    ),
    libreTranslateKey: optional('LIBRETRANSLATE_API_KEY', text, 'LibreTranslate API key.'),
  },
  redis: {
    url: optional('REDIS_URL', redisUrl, 'Redis, for jobs and live updates across processes.'),
    prefix: setting('REDIS_PREFIX', '{microblog}', text, 'Prefix of every Redis key and channel.'),
  },
  metricsToken: optional(
    'METRICS_TOKEN',
    text,
    'Bearer token `/metrics` asks for (Prometheus text); unset, `/metrics` is off.',
  ),
  inProcessWorker: setting(
    'IN_PROCESS_WORKER',
    'true',
    boolean,
    '`microblog run` also runs background jobs.',
  ),
  tokens: {
    accessMinutes: setting(
      'ACCESS_TOKEN_MINUTES',
      '15',
      integer(1, 24 * 60),
      'API access token lifetime.',
    ),
    refreshDays: setting('REFRESH_TOKEN_DAYS', '7', integer(1, 365), 'API refresh token lifetime.'),
    refreshInBody: setting(
      'REFRESH_TOKEN_IN_BODY',
      'false',
      boolean,
      'Also return the refresh token in the body.',
    ),
    passwordResetUrl: setting(
      'PASSWORD_RESET_URL',
      'http://localhost:3000/reset',
      httpUrl({ origin: false }),
      "The API client's reset page.",
    ),
  },
  rateLimits: {
    enabled: setting('RATELIMIT_ENABLED', 'true', boolean, 'false turns every limit off.'),
    login: setting('RATELIMIT_LOGIN', '10/minute', rateLimit, 'Login attempts.'),
    register: setting('RATELIMIT_REGISTER', '5/hour', rateLimit, 'Registrations.'),
    password: setting('RATELIMIT_PASSWORD', '5/15minutes', rateLimit, 'Password changes.'),
    messages: setting('RATELIMIT_MESSAGES', '60/hour', rateLimit, 'Private messages sent.'),
  },
};

/** The settings' values, typed from the table. */
export type Settings<T = typeof SETTINGS> = {
  [K in keyof T]: T[K] extends Setting<infer V> ? V : Settings<T[K]>;
};
