import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { statusOf } from '../errors.ts';
import { ErrorMail } from '../mail/error-reports.ts';
import { redactUrl } from '../security/redact.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether unexpected errors are emailed to the admins (ADMINS and MAIL_SERVER are set). */
    errorsReachAdmins: boolean;
  }
}

/**
 * With ADMINS and MAIL_SERVER set, every unexpected error (a 5xx) is emailed to the admins,
 * a storm as one digest. The errors are logged either way.
 */
async function registerErrorReports(app: FastifyInstance) {
  const { admins, mail } = app.config;
  const enabled = admins.length > 0 && mail.server !== undefined;
  app.decorate('errorsReachAdmins', enabled);
  if (!enabled) return;
  const reports = new ErrorMail(app.mailer, admins, {
    onFailure: (error) => app.log.error({ err: error }, 'could not email an error report'),
  });
  app.addHook('onError', async (request, _reply, error) => {
    if (statusOf(error) < 500) return;
    reports.report({
      time: new Date(),
      where: `${request.method} ${redactUrl(request.url)}`,
      requestId: request.id,
      details: error.stack ?? error.message,
    });
  });
  app.addHook('onClose', () => reports.flush());
}

export const errorReportsPlugin = fp(registerErrorReports, {
  name: 'error-reports',
  dependencies: ['mailer'],
});
