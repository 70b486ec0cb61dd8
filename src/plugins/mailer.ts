import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

async function registerMailer(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  const mailer = createMailer(config.mail, app.log);
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => mailer.close());
}

export const mailerPlugin = fp(registerMailer, { name: 'mailer' });
