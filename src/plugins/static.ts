import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { projectRoot } from '../config.ts';

const ASSETS = {
  'bootstrap.min.css': join(projectRoot, 'node_modules/bootstrap/dist/css/bootstrap.min.css'),
  'bootstrap.bundle.min.js': join(
    projectRoot,
    'node_modules/bootstrap/dist/js/bootstrap.bundle.min.js',
  ),
  'microblog.css': join(projectRoot, 'public/css/microblog.css'),
  'microblog.js': join(projectRoot, 'public/js/microblog.js'),
  'favicon.svg': join(projectRoot, 'public/img/favicon.svg'),
} as const;

export type AssetName = keyof typeof ASSETS;

/** Hashes of the assets' contents, computed once, so URLs change whenever a file does. */
const versions = Object.fromEntries(
  Object.entries(ASSETS).map(([name, path]) => [
    name,
    createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12),
  ]),
) as Record<AssetName, string>;

/** The versioned URL of an asset, e.g. `/static/bootstrap.min.css?v=3f2a…`. */
export function assetUrl(name: AssetName): string {
  return `/static/${name}?v=${versions[name]}`;
}

/** Serves the few static files, from the npm packages and `public/`, cached for a year. */
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
