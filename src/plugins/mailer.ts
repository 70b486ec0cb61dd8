import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createMailer, type Mailer } from '../mail/mailer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

async function registerMailer(app: FastifyInstance) {
  const mailer = createMailer(app.config.mail, app.log);
  app.decorate('mailer', mailer);
  app.addHook('onClose', async () => mailer.close());
}

export const mailerPlugin = fp(registerMailer, { name: 'mailer' });
