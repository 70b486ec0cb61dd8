/**
 * The bare Microblog on PostgreSQL or MariaDB: node:http and the plain driver (`pg`,
 * `mysql2`), prepared statements, and the best index-using queries for the home page, the
 * API feed (token check included) and one API post. The benchmarks compare the app
 * against it on the same database.
 * Usage: node --import tsx bench/sql-baseline-server.ts <postgresql:// or mariadb:// URL> <port>
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createPool } from 'mysql2/promise';
import pg from 'pg';
import { verifyJwt } from '../src/security/jwt.ts';
import { deriveKey } from '../src/security/keys.ts';
import { type ApiRow, type PageRow, PER_PAGE, page, postJson } from './bare-output.ts';

const url = process.argv[2] ?? '';
const postgres = /^postgres(ql)?:/.test(url);
const accessTokenKey = deriveKey(process.env.SECRET_KEY ?? '', 'api-access-tokens');

/** Runs `sql` (with `?` placeholders) as a prepared statement. */
const all: <T>(sql: string, params: unknown[]) => Promise<T[]> = postgres
  ? (() => {
      const pool = new pg.Pool({ connectionString: url, max: 10 });
      const names = new Map<string, string>();
      return async <T>(sql: string, params: unknown[]) => {
        let n = 0;
        const text = sql.replace(/\?/g, () => `$${++n}`);
        const name = names.get(sql) ?? `b${names.size}`;
        names.set(sql, name);
        return (await pool.query({ name, text, values: params })).rows as T[];
      };
    })()
  : (() => {
      const pool = createPool({
        uri: url.replace(/^mariadb:/, 'mysql:'),
        connectionLimit: 10,
        dateStrings: true,
        timezone: 'Z',
      });
      return async <T>(sql: string, params: unknown[]) =>
        (await pool.execute(sql, params as never))[0] as T[];
    })();

const user = postgres ? '"user"' : '`user`';
const authorColumns =
  'u.id as author_id, u.username, u.email, u.password_hash, u.about_me, u.first_seen, u.last_seen';

/** Each author's newest posts off post(user_id, timestamp, id), merged, then joined. */
function feedSql(authors: number): string {
  const perAuthor = (author: string) =>
    `select id, timestamp from post where user_id = ${author} order by timestamp desc, id desc limit ${PER_PAGE + 1}`;
  const candidates = postgres
    ? `select t.id, t.timestamp from unnest(?::int[]) as a(author) cross join lateral (${perAuthor('a.author')}) as t`
    : Array.from({ length: authors }, () => `select * from (${perAuthor('?')}) as t`).join(
        ' union all ',
      );
  return `select x.id, x.body, x.timestamp, ${authorColumns} from (select id, timestamp from (${candidates}) as m order by timestamp desc, id desc limit ${PER_PAGE + 1}) as top join post as x on x.id = top.id join ${user} as u on u.id = x.user_id order by top.timestamp desc, top.id desc`;
}

async function feed(userId: number): Promise<{ rows: ApiRow[]; total: number }> {
  const followed = await all<{ followed_id: number }>(
    'select followed_id from followers where follower_id = ?',
    [userId],
  );
  const authors = [userId, ...followed.map((row) => Number(row.followed_id))];
  const params = postgres ? [authors] : authors;
  const who = postgres ? 'id = any(?::int[])' : `id in (${authors.map(() => '?').join(', ')})`;
  const [rows, [count]] = await Promise.all([
    all<ApiRow>(feedSql(authors.length), params),
    all<{ total: number }>(
      `select coalesce(sum(post_count), 0) as total from ${user} where ${who}`,
      params,
    ),
  ]);
  return { rows, total: Number(count.total) };
}

async function tokenUser(authorization: string | undefined): Promise<number | undefined> {
  const jwt = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const token = jwt ? verifyJwt(jwt, accessTokenKey)?.token : undefined;
  if (typeof token !== 'string') return undefined;
  const [row] = await all<{ id: number }>(
    `select t.user_id as id from token as t where t.access_token_hash = ? and t.access_expiration > ?`,
    [createHash('sha256').update(token).digest('hex'), new Date()],
  );
  return row ? Number(row.id) : undefined;
}

async function respond(
  path: URL,
  authorization: string | undefined,
): Promise<[number, string, string]> {
  const json = (status: number, body: unknown): [number, string, string] => [
    status,
    'application/json; charset=utf-8',
    JSON.stringify(body),
  ];
  if (path.pathname === '/ready') return json(200, {});
  if (path.pathname === '/index') {
    const { rows } = await feed(Number(path.searchParams.get('user')));
    return [200, 'text/html; charset=utf-8', page('Home', rows as PageRow[])];
  }
  const userId = await tokenUser(authorization);
  if (userId === undefined) return json(401, { message: 'A valid access token is required.' });
  if (path.pathname === '/api/feed') {
    const { rows, total } = await feed(userId);
    const data = rows.slice(0, PER_PAGE).map(postJson);
    return json(200, {
      data,
      pagination: { offset: 0, limit: PER_PAGE, count: data.length, total },
    });
  }
  const id = /^\/api\/posts\/(\d+)$/.exec(path.pathname)?.[1];
  const [row] = id
    ? await all<ApiRow>(
        `select p.id, p.body, p.timestamp, ${authorColumns} from post as p join ${user} as u on u.id = p.user_id where p.id = ?`,
        [Number(id)],
      )
    : [];
  return row ? json(200, postJson(row)) : json(404, { message: 'Not found.' });
}

const server = createServer((request, response) => {
  respond(new URL(request.url ?? '/', 'http://localhost'), request.headers.authorization).then(
    ([status, type, body]) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    },
    (error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    },
  );
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
