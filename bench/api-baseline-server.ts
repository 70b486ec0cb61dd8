/**
 * The bare JSON API: node:http and better-sqlite3, the same queries as the app's
 * `GET /api/feed`, `GET /api/posts/<id>` and `GET /api/users` (token check included), JSON written with
 * JSON.stringify. The API benchmark compares the app against it.
 * Usage: node --import tsx bench/api-baseline-server.ts <sqlite file> <port>
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { verifyJwt } from '../src/security/jwt.ts';
import { deriveKey } from '../src/security/keys.ts';
import { PER_PAGE, postJson, type ApiRow as Row, userJson } from './bare-output.ts';

const db = new Database(process.argv[2], { readonly: true });
db.pragma('journal_mode = WAL');
// The app's SECRET_KEY comes through the environment, so its access tokens verify here.
const accessTokenKey = deriveKey(process.env.SECRET_KEY ?? '', 'api-access-tokens');

const withAuthor = (from: string, post = 'p') =>
  `select ${post}.id, ${post}.body, ${post}.timestamp, u.id as author_id, u.username, u.email, u.password_hash, u.about_me, u.first_seen, u.last_seen from ${from} join user as u on u.id = ${post}.user_id`;

// One lookup on the unique index of token.access_token_hash (sha256 hex of the random part
// inside the access token's JWT).
const tokenUser = db.prepare(
  'select u.* from token as t join user as u on u.id = t.user_id where t.access_token_hash = ? and t.access_expiration > ?',
);
const followed = db.prepare('select followed_id from followers where follower_id = ?');
const onePost = db.prepare(`${withAuthor('post as p')} where p.id = ?`);
const userCount = db.prepare('select count(*) as total from user');
const usersPage = db.prepare(
  `select id as author_id, username, email, password_hash, about_me, first_seen, last_seen from user order by username limit ${PER_PAGE} offset 0`,
);
const feedStatements = new Map<number, [Database.Statement, Database.Statement]>();

/** The authors' post counts, then the top-k merge over the (user_id, timestamp, id) index. */
function feed(userId: number): { rows: Row[]; total: number } {
  const authors = [
    userId,
    ...(followed.all(userId) as { followed_id: number }[]).map((row) => row.followed_id),
  ];
  let statements = feedStatements.get(authors.length);
  if (!statements) {
    const perAuthor = `select * from (select id, timestamp from post where user_id = ? order by timestamp desc, id desc limit ${PER_PAGE}) as t`;
    const merged = authors.map(() => perAuthor).join(' union all ');
    const top = `(select id, timestamp from (${merged}) as m order by timestamp desc, id desc limit ${PER_PAGE} offset 0) as top join post as x on x.id = top.id`;
    statements = [
      db.prepare(
        `select coalesce(sum(post_count), 0) as total from user where id in (${authors.map(() => '?').join(', ')})`,
      ),
      db.prepare(`${withAuthor(top, 'x')} order by top.timestamp desc, top.id desc`),
    ];
    feedStatements.set(authors.length, statements);
  }
  const { total } = statements[0].get(...authors) as { total: number };
  return { rows: statements[1].all(...authors) as Row[], total };
}

const server = createServer((request, response) => {
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/ready') return send(200, {});
  const jwt = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const token = jwt ? verifyJwt(jwt, accessTokenKey)?.token : undefined;
  const user =
    typeof token === 'string'
      ? (tokenUser.get(createHash('sha256').update(token).digest('hex'), Date.now()) as
          | { id: number }
          | undefined)
      : undefined;
  if (!user) return send(401, { message: 'A valid access token is required.' });
  if (url.pathname === '/api/feed') {
    const { rows, total } = feed(user.id);
    return send(200, {
      data: rows.map(postJson),
      pagination: { offset: 0, limit: PER_PAGE, count: rows.length, total },
    });
  }
  if (url.pathname === '/api/users') {
    const { total } = userCount.get() as { total: number };
    const data = (usersPage.all() as Row[]).map(userJson);
    return send(200, {
      data,
      pagination: { offset: 0, limit: PER_PAGE, count: data.length, total },
    });
  }
  const id = /^\/api\/posts\/(\d+)$/.exec(url.pathname)?.[1];
  const row = id ? (onePost.get(Number(id)) as Row | undefined) : undefined;
  if (row) return send(200, postJson(row));
  return send(404, { message: 'Not found.' });
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
