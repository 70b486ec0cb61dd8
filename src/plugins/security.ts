import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers. The CSP allows scripts and styles from this origin only, and no
 * inline script at all: no page needs one, so no per-response nonce is made either.
 */
async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
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
      },
    },
  });
}

export const securityPlugin = fp(registerSecurityHeaders, { name: 'security-headers' });
