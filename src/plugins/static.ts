import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { projectRoot } from '../config/load.ts';
import { ASSETS, type AssetName } from '../views/assets.ts';

/** Serves the few static files pages link to, cached for a year (their URLs are versioned). */
async function registerStatic(app: FastifyInstance) {
  await app.register(fastifyStatic, {
    root: [join(projectRoot, 'public/css'), join(projectRoot, 'public/js')],
    prefix: '/static/',
    serve: false,
  });
  app.get<{ Params: { name: string } }>('/static/:name', (request, reply) => {
    const path = ASSETS[request.params.name as AssetName];
    if (!path) return reply.callNotFound();
    // Versioned URLs let browsers keep every file for a year without revalidating.
    const slash = path.lastIndexOf('/');
    return reply.sendFile(path.slice(slash + 1), path.slice(0, slash), {
      maxAge: '365d',
      immutable: true,
    });
  });
}

export const staticPlugin = fp(registerStatic, { name: 'static' });
