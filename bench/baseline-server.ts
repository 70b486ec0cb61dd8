/**
 * The simplest possible Microblog: bare node:http and better-sqlite3, the same queries
 * as the app, hand-written HTML. The web benchmark compares the app against it.
 * Usage: node --import tsx bench/baseline-server.ts <sqlite file> <port>
 */
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { escapeHtml, PER_PAGE, page, type PageRow as Row } from './bare-output.ts';

const db = new Database(process.argv[2], { readonly: true });
db.pragma('journal_mode = WAL');

const followed = db.prepare('select followed_id as id from followers where follower_id = ?');
const userByName = db.prepare('select id, username, about_me from user where username = ?');
const counts = db.prepare(
  'select (select count(*) from followers where followed_id = ?) as followers, (select count(*) from followers where follower_id = ?) as following',
);
const withAuthors = (where: string, order = 'p.timestamp desc, p.id desc') =>
  `select p.id, p.body, p.timestamp, u.username from post p join user u on u.id = p.user_id where ${where} order by ${order} limit ${PER_PAGE + 1}`;
const explore = db.prepare(withAuthors('1 = 1'));
const byAuthor = db.prepare(withAuthors('p.user_id = ?'));
const timelineStatements = new Map<number, Database.Statement>();

/** The app's top-k merge over the (user_id, timestamp) index, one statement per author count. */
function timeline(userId: number): Row[] {
  const authors = [userId, ...(followed.all(userId) as { id: number }[]).map((row) => row.id)];
  let statement = timelineStatements.get(authors.length);
  if (!statement) {
    const perAuthor = `select * from (select id, timestamp from post where user_id = ? order by timestamp desc, id desc limit ${PER_PAGE + 1})`;
    const merged = authors.map(() => perAuthor).join(' union all ');
    statement = db.prepare(
      `select x.id, x.body, x.timestamp, u.username from (select id, timestamp from (${merged}) order by timestamp desc, id desc limit ${PER_PAGE + 1}) m join post x on x.id = m.id join user u on u.id = x.user_id order by m.timestamp desc, m.id desc`,
    );
    timelineStatements.set(authors.length, statement);
  }
  return statement.all(...authors) as Row[];
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  let html: string | undefined;
  if (url.pathname === '/index')
    html = page('Home', timeline(Number(url.searchParams.get('user'))));
  else if (url.pathname === '/explore') html = page('Explore', explore.all() as Row[]);
  else if (url.pathname.startsWith('/user/')) {
    const user = userByName.get(decodeURIComponent(url.pathname.slice(6))) as
      | { id: number; username: string; about_me: string | null }
      | undefined;
    if (user) {
      const c = counts.get(user.id, user.id) as { followers: number; following: number };
      const header = `<h1>${escapeHtml(user.username)}</h1><p>${escapeHtml(user.about_me ?? '')}</p><p>${c.followers} followers, ${c.following} following</p>`;
      html = page(user.username, byAuthor.all(user.id) as Row[], header);
    }
  }
  response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  response.end(html ?? 'not found');
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
