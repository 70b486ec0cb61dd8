import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/load.ts';

/** The files pages link to, from the npm packages and `public/`. */
export const ASSETS = {
  'bootstrap.min.css': join(projectRoot, 'node_modules/bootstrap/dist/css/bootstrap.min.css'),
  'bootstrap.bundle.min.js': join(
    projectRoot,
    'node_modules/bootstrap/dist/js/bootstrap.bundle.min.js',
  ),
  'microblog.css': join(projectRoot, 'public/css/microblog.css'),
  'microblog.js': join(projectRoot, 'public/js/microblog.js'),
  'notifications.js': join(projectRoot, 'public/js/notifications.js'),
  'popovers.js': join(projectRoot, 'public/js/popovers.js'),
  'translate.js': join(projectRoot, 'public/js/translate.js'),
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
