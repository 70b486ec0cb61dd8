import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The methods some route answers at `url`: empty for a path nothing serves. A request
     * that no route took, at a path some route serves with another method, is a 405.
     */
    allowedMethods(url: string): string[];
  }
}

/** Every pattern with `:name` parameters, named alike, so routes of one shape meet. */
const shapeOf = (pattern: string) => pattern.replace(/:[^/]+/g, ':p');

/**
 * Remembers which methods every route pattern answers, in a router of its own (Fastify's
 * does not say whether a path it failed to match exists under another method).
 */
async function registerAllowedMethods(app: FastifyInstance) {
  const router = FindMyWay();
  const methods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    // CORS answers OPTIONS on every path: that says nothing about what a path serves.
    const verbs = [route.method].flat().filter((verb) => verb !== 'OPTIONS');
    if (verbs.length === 0) return;
    const shape = shapeOf(route.url);
    let known = methods.get(shape);
    if (!known) {
      known = new Set();
      methods.set(shape, known);
      router.on('GET', shape, () => {}, { shape });
    }
    for (const verb of verbs) known.add(verb);
  });
  app.decorate('allowedMethods', (url: string) => {
    const found = router.find('GET', url.split('?')[0]);
    const shape = (found?.store as { shape?: string } | undefined)?.shape;
    return shape ? [...(methods.get(shape) ?? [])].sort() : [];
  });
}

export const allowedMethodsPlugin = fp(registerAllowedMethods, { name: 'allowed-methods' });
