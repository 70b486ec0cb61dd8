import { createHash } from 'node:crypto';
import type { Dialect } from '../../config/load.ts';
import { toDate } from '../rows.ts';
import type { ValueType } from './tables.ts';

/** A value as an archive holds it: JSON, the same whichever database it came from. */
export type ArchiveValue = string | number | boolean | null;

/**
 * A value read from any database in its archive form: datetimes as ISO 8601 UTC with
 * milliseconds (decision 0012), booleans as true/false (SQLite and MariaDB store 0/1), and
 * integers as numbers (PostgreSQL's bigint arrives as text).
 */
export function toArchive(type: ValueType, value: unknown): ArchiveValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime':
      return toDate(value).toISOString();
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 't';
    case 'integer':
    case 'double':
      return Number(value);
    default:
      return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
}

/** An archive value as a query parameter for a database kind. */
export function toParameter(type: ValueType, value: ArchiveValue, dialect: Dialect): unknown {
  if (value === null) return null;
  if (type === 'boolean') return dialect === 'postgresql' ? value : value ? 1 : 0;
  if (type !== 'datetime') return value;
  const iso = String(value);
  // SQLite holds epoch milliseconds (MikroORM's mapping); MariaDB's datetime(3) takes no zone.
  if (dialect === 'sqlite') return Date.parse(iso);
  if (dialect === 'postgresql') return iso;
  return iso.replace('T', ' ').replace('Z', '');
}

const MODULUS = 1n << 256n;

/**
 * A table's row count and checksum: the sum, modulo 2^256, of the SHA-256 of every row as
 * archived. A sum rather than one running hash, so that it does not depend on the order of
 * the rows: text keys sort differently under each database's collation.
 */
export class TableChecksum {
  rows = 0;
  private sum = 0n;

  add(row: ArchiveValue[]): void {
    this.rows += 1;
    const digest = createHash('sha256').update(JSON.stringify(row)).digest('hex');
    this.sum = (this.sum + BigInt(`0x${digest}`)) % MODULUS;
  }

  summary(): TableSummary {
    return { rows: this.rows, sha256: this.sum.toString(16).padStart(64, '0') };
  }
}

export interface TableSummary {
  rows: number;
  sha256: string;
}
