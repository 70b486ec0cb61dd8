import repl from 'node:repl';
import { loadConfig } from '../config/load.ts';
import { connectOrFail } from '../db/connect.ts';
import { Post, User } from '../db/entities/index.ts';
import { openOrm } from '../db/orm.ts';

/**
 * `microblog shell`: Flask's shell for Microblog. `orm`, `em` (a unit of work), `User`
 * and `Post` are preloaded; top-level await works, as in any Node REPL.
 */
export async function startShell(): Promise<void> {
  const config = loadConfig();
  const orm = await openOrm(config);
  await connectOrFail(orm, config.database, { create: false });
  const interactive = process.stdin.isTTY === true;
  if (interactive) {
    console.log(`Microblog shell on ${config.database.displayUrl}. Loaded: orm, em, User, Post.`);
  }
  // The prompt also marks, for a program driving the shell, that a statement has finished.
  const server = repl.start({ prompt: '>>> ', useGlobal: false });
  Object.assign(server.context, { orm, em: orm.em.fork(), User, Post });
  await new Promise<void>((resolve) => server.on('exit', resolve));
  await orm.close();
}
