import { type MikroORM, RequestContext } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { connectOrFail } from '../db/connect.ts';
import { loadHistory } from '../db/migrations/history.ts';
import { upgrade } from '../db/migrations/runner.ts';
import { migrationsDir, openOrm } from '../db/orm.ts';

declare module 'fastify' {
  interface FastifyInstance {
    orm: MikroORM;
  }
  interface FastifyRequest {
    /** This request's own unit of work, forked from the global one. */
    em: SqlEntityManager;
  }
}

export interface OrmPluginOptions {
  /** Apply pending migrations before serving (what `npm start` does). */
  migrate?: boolean;
}

async function registerOrm(app: FastifyInstance, { migrate }: OrmPluginOptions) {
  const { config } = app;
  const orm = await openOrm(config);
  app.addHook('onClose', () => orm.close());
  await connectOrFail(orm, config.database);
  if (migrate) {
    const history = await loadHistory(migrationsDir);
    const log = (line: string) => app.log.info(line);
    await upgrade({ orm, database: config.database, history, log });
  }
  app.decorate('orm', orm);
  app.decorateRequest('em', null as unknown as SqlEntityManager);
  app.addHook('onRequest', (request, _reply, done) => {
    request.em = orm.em.fork() as SqlEntityManager;
    // Code that reaches for the ORM's context (e.g. lazy collections) gets this fork too.
    RequestContext.create(request.em, done);
  });
}

export const ormPlugin = fp(registerOrm, { name: 'orm' });
