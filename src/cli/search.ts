import type { Command } from 'commander';
import { withEntityManager } from './database.ts';

export function registerSearchCommands(program: Command): void {
  const search = program.command('search').description('the full-text search index of posts');

  search
    .command('reindex')
    .description('rebuild the search index from the posts (searches see the old one meanwhile)')
    .action(async () => {
      const { rebuildSearchIndex } = await import('../domain/posts/search.ts');
      const posts = await withEntityManager((em, onProgress) => rebuildSearchIndex(em, onProgress));
      console.log(`Reindexed ${posts} posts.`);
    });
}
