import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PGBOUNCER = '/usr/sbin/pgbouncer';

/** Why the replica tests cannot run here, or false; CI (TEST_REQUIRE_ALL_DATABASES=1) fails instead. */
export function replicaSkip(): string | false {
  const missing = [join(PG_BIN, 'initdb'), join(PG_BIN, 'pg_basebackup'), PGBOUNCER].filter(
    (binary) => !existsSync(binary),
  );
  if (missing.length === 0 || process.env.TEST_REQUIRE_ALL_DATABASES === '1') return false;
  return `${missing.join(', ')} missing (apt-get install postgresql-15 pgbouncer)`;
}

/** initdb, pg_ctl and pgbouncer refuse root: as root, they run as the postgres user. */
const asRoot = process.getuid?.() === 0;
function run(command: string, args: string[]): string {
  const [file, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function giveToPostgres(path: string): void {
  if (!asRoot) return;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  chownSync(path, id('-u'), id('-g'));
}

export interface ReplicatedPostgres {
  /** The primary, straight. */
  primaryUrl: string;
  /** A streaming replica of it (pg_basebackup -R). */
  replicaUrl: string;
  /** PgBouncer in transaction mode in front of the primary. */
  bouncerUrl: string;
  /** Runs SQL on the replica, e.g. to pause its replay. */
  onReplica(sql: string): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temp folder, own port), a streaming
 * replica made from it with pg_basebackup, and PgBouncer in transaction pool mode in front of
 * the primary: nothing on the machine's own servers is touched.
 */
export async function startReplicatedPostgres(database: string): Promise<ReplicatedPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'microblog-replica-'));
  giveToPostgres(dir);
  const [primaryPort, replicaPort, bouncerPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const started: string[] = [];
  const startCluster = (dataDir: string, port: number) => {
    run(join(PG_BIN, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      `${dataDir}.log`,
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
    started.push(dataDir);
  };
  const bouncerPid = join(dir, 'pgbouncer.pid');
  const stop = async () => {
    if (existsSync(bouncerPid)) process.kill(Number(readFileSync(bouncerPid, 'utf8')), 'SIGTERM');
    for (const dataDir of started.reverse()) {
      run(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // initdb's trust authentication also allows replication connections from 127.0.0.1.
    run(join(PG_BIN, 'initdb'), ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    startCluster(primaryDir, primaryPort);
    const primaryUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/${database}`;
    const admin = new pg.Client({
      connectionString: `postgresql://postgres@127.0.0.1:${primaryPort}/postgres`,
    });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    run(join(PG_BIN, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast',
    ]);
    startCluster(replicaDir, replicaPort);
    writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      `[databases]
${database} = host=127.0.0.1 port=${primaryPort} dbname=${database}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${bouncerPort}
unix_socket_dir = ${dir}
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = transaction
default_pool_size = 4
ignore_startup_parameters = extra_float_digits
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${bouncerPid}
`,
    );
    for (const file of ['userlist.txt', 'pgbouncer.ini']) giveToPostgres(join(dir, file));
    run(PGBOUNCER, ['-d', join(dir, 'pgbouncer.ini')]);
    const replicaUrl = `postgresql://postgres@127.0.0.1:${replicaPort}/${database}`;
    return {
      primaryUrl,
      replicaUrl,
      bouncerUrl: `postgresql://postgres@127.0.0.1:${bouncerPort}/${database}`,
      async onReplica(sql) {
        const client = new pg.Client({ connectionString: replicaUrl });
        await client.connect();
        try {
          return await client.query(sql);
        } finally {
          await client.end();
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
