import type { SqlEntityManager } from '@mikro-orm/sql';
import { type Quote, quoter, selectRows, toDate } from '../db/rows.ts';
import { countedWindow, type Page, pageSlice, toPage, type Windowed } from './pages.ts';
import { windowSql } from './posts/queries.ts';
import { type UserRecord, userColumns, userFromRow } from './user-rows.ts';

/** A message with both its people, as lists read them: plain rows. */
export interface MessageRecord {
  id: number;
  body: string;
  timestamp: Date;
  sender: UserRecord;
  recipient: UserRecord;
}

/** Which messages of a user: those they received, or those they sent. */
export type Box = 'received' | 'sent';

const OWNER: Record<Box, string> = { received: 'recipient_id', sent: 'sender_id' };

/**
 * The SQL, exported so `bench/plans.ts` can EXPLAIN it: a user's messages newest first, off
 * the (recipient_id, timestamp) or (sender_id, timestamp) index.
 */
export const messageQueries = {
  list: (q: Quote, box: Box, after: boolean, window: string) =>
    `select m.id, m.body, m.timestamp, ${userColumns('s', 'sender_')}, ${userColumns('r', 'recipient_')} from ${q('message')} as m join ${q('user')} as s on s.id = m.sender_id join ${q('user')} as r on r.id = m.recipient_id where m.${OWNER[box]} = ?${after ? ' and m.timestamp < ?' : ''} order by m.timestamp desc, m.id desc ${window}`,
  one: (q: Quote) =>
    `select m.id, m.body, m.timestamp, ${userColumns('s', 'sender_')}, ${userColumns('r', 'recipient_')} from ${q('message')} as m join ${q('user')} as s on s.id = m.sender_id join ${q('user')} as r on r.id = m.recipient_id where m.id = ? and (m.sender_id = ? or m.recipient_id = ?)`,
  count: (q: Quote, box: Box, after: boolean) =>
    `select count(*) as total${after ? ', sum(case when timestamp >= ? then 1 else 0 end) as newer' : ''} from ${q('message')} where ${OWNER[box]} = ?`,
};

type MessageRow = Record<string, unknown> & { id: number | string; body: string };

function record(row: MessageRow): MessageRecord {
  return {
    id: Number(row.id),
    body: row.body,
    timestamp: toDate(row.timestamp),
    sender: userFromRow(row, 'sender_'),
    recipient: userFromRow(row, 'recipient_'),
  };
}

interface MessageWindow {
  limit: number;
  offset: number;
  after?: Date;
}

async function read(em: SqlEntityManager, userId: number, box: Box, window: MessageWindow) {
  const after = window.after !== undefined;
  const sql = messageQueries.list(
    quoter(em),
    box,
    after,
    windowSql(window.limit, after ? 0 : window.offset),
  );
  const rows = await selectRows<MessageRow>(em, sql, after ? [userId, window.after] : [userId]);
  return rows.map(record);
}

/** Page `page` (from 1) of a user's messages, newest first: the web's /messages. */
export async function pageOfMessages(
  em: SqlEntityManager,
  userId: number,
  box: Box,
  page: number,
  perPage: number,
): Promise<Page<MessageRecord>> {
  return toPage(await read(em, userId, box, pageSlice(page, perPage)), perPage);
}

/** A window of a user's messages with its place in the list and the list's length: the API. */
export async function listMessages(
  em: SqlEntityManager,
  userId: number,
  box: Box,
  window: MessageWindow,
): Promise<Windowed<MessageRecord>> {
  const after = window.after;
  const sql = messageQueries.count(quoter(em), box, after !== undefined);
  const [row] = await selectRows<{ total: number | string; newer: number | string | null }>(
    em,
    sql,
    after ? [after, userId] : [userId],
  );
  const counts = { total: Number(row?.total ?? 0), newer: Number(row?.newer ?? 0) };
  return countedWindow(counts, window, () => read(em, userId, box, window));
}

/** One message, to its sender or its recipient only; null for anyone else. */
export async function findMessage(
  em: SqlEntityManager,
  id: number,
  viewerId: number,
): Promise<MessageRecord | null> {
  const [row] = await selectRows<MessageRow>(em, messageQueries.one(quoter(em)), [
    id,
    viewerId,
    viewerId,
  ]);
  return row ? record(row) : null;
}
