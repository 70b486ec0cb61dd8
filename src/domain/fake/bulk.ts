import { setImmediate } from 'node:timers/promises';
import type { EntityName, RequiredEntityData } from '@mikro-orm/core';
import { type SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';

/**
 * Bulk loading for `microblog fake`: batched multi-row INSERTs in large transactions, so
 * millions of rows load in seconds with flat memory.
 */

// Rows per INSERT statement. SQLite binds at most 32,766 parameters per statement:
// users have 5 columns (25,000), posts 3 (15,000), follows 2 (10,000). A statement of
// posts is under 3 MB of SQL even in 4-byte emoji, far below MariaDB's 16 MB default
// max_allowed_packet.
export const STATEMENT_ROWS = 5_000;
// Rows per transaction. Random keys land all over the post and follower indexes; a
// commit writes each touched index page once, so small transactions rewrite the same
// pages again and again. 1M posts on SQLite: 19 s at 50,000 rows per commit, 37 s at
// 5,000 (from empty); 25 s against 56 s on top of 1.1M posts.
const TRANSACTION_ROWS = 50_000;
const ID_PAGE = 50_000;

/** The user table's name, quoted for the connected database (`user` is reserved on PostgreSQL). */
export function userTable(em: SqlEntityManager): string {
  return em.getPlatform().quoteIdentifier('user');
}

/**
 * On SQLite, a 128 MiB page cache for this connection (the default is 2 MiB), so more of
 * the indexes that random keys hit stay in memory: 1M posts took 18-19 s instead of
 * 20-22 s from empty, and 24 s instead of 30 s on top of 1.1M posts, for ~140 MB more RSS.
 */
export async function prepareBulkLoad(em: SqlEntityManager): Promise<void> {
  if (em.getPlatform() instanceof SqlitePlatform) await em.execute('pragma cache_size = -131072');
}

/**
 * After a bulk load, PostgreSQL has no statistics on the tables until autovacuum comes
 * by, and meanwhile plans the API feed's count as a scan of every post (bench/plans.ts):
 * gather them now. MariaDB refreshes its persistent statistics the same way. SQLite's
 * planner needs none.
 */
export async function refreshStatistics(em: SqlEntityManager, tables: string[]): Promise<void> {
  const platform = em.getPlatform();
  if (platform instanceof SqlitePlatform) return;
  const names = tables.map((table) => platform.quoteIdentifier(table)).join(', ');
  const postgres = platform.constructor.name === 'PostgreSqlPlatform';
  // VACUUM also sets PostgreSQL's visibility map: until then an index-only scan (the feed's
  // per-author read) fetches every row from the table as well.
  await em.fork().execute(postgres ? `vacuum analyze ${names}` : `analyze table ${names}`);
}

/**
 * better-sqlite3 frees a finished statement in a finalizer that runs only when the event
 * loop turns. A bulk load's awaits all resolve at once, so without this pause between
 * statements 1M posts held ~300 MB of dead statements until the end.
 */
export const letFinalizersRun = () => setImmediate();

/** Every user id, ascending, read in keyset pages so no single result set is huge. */
export async function allUserIds(em: SqlEntityManager): Promise<number[]> {
  const ids: number[] = [];
  const sql = `select id from ${userTable(em)} where id > ? order by id limit ${ID_PAGE}`;
  for (;;) {
    const rows: { id: number }[] = await em.fork().execute(sql, [ids.at(-1) ?? 0]);
    for (const row of rows) ids.push(Number(row.id));
    if (rows.length < ID_PAGE) return ids;
  }
}

export const marks = (values: unknown[]) => values.map(() => '?').join(', ');

export async function maxUserId(em: SqlEntityManager): Promise<number> {
  const [row] = await em.execute<{ last: number | null }[]>(
    `select max(id) as last from ${userTable(em)}`,
  );
  return Number(row?.last ?? 0);
}

/**
 * Inserts `total` rows drawn from `rows`: STATEMENT_ROWS per INSERT, TRANSACTION_ROWS per
 * transaction, each transaction in its own fork. Rows are made as they are written, so
 * memory stays flat however many there are.
 */
export async function insertStream<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  rows: Iterator<RequiredEntityData<T>>,
  total: number,
  report: (done: number) => void,
): Promise<void> {
  let done = 0;
  while (done < total) {
    const end = Math.min(total, done + TRANSACTION_ROWS);
    await em.fork().transactional(async (tx) => {
      while (done < end) {
        const batch: RequiredEntityData<T>[] = [];
        const size = Math.min(STATEMENT_ROWS, end - done);
        for (let next = rows.next(); !next.done; next = rows.next()) {
          batch.push(next.value);
          if (batch.length === size) break;
        }
        if (batch.length < size)
          throw new Error(`expected ${total} rows, got ${done + batch.length}`);
        await tx.insertMany(entity, batch);
        done += size;
        report(done);
        await letFinalizersRun();
      }
    });
  }
}
