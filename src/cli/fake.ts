import type { Command } from 'commander';
import { parseWhole } from './arguments.ts';
import { withEntityManager } from './database.ts';

// A sanity bound against typos such as an extra zero or two; 10,000,000 posts is the
// largest load the benchmark uses.
const MAX_ROWS = 10_000_000;
const MAX_FOLLOWS = 10_000;

export function registerFakeCommands(program: Command): void {
  const fake = program
    .command('fake')
    .description('demo data: users sharing one password, follows, and posts over the past year');

  fake
    .command('users')
    .description('create N users, all with the same printed password, each following others')
    .argument('<n>', `how many users (1 to ${MAX_ROWS.toLocaleString('en')})`)
    .option(
      '--follows <n>',
      'random others each new user follows (0 to 10,000; capped at the others there are)',
      '50',
    )
    .action(async (n: string, options: { follows: string }) => {
      const count = parseWhole(n, 'The number of users', 1, MAX_ROWS);
      const follows = parseWhole(options.follows, '--follows', 0, MAX_FOLLOWS);
      const { createFakeUsers } = await import('../domain/fake/users.ts');
      const result = await withEntityManager((em, onProgress) =>
        createFakeUsers(em, count, { follows, onProgress }),
      );
      console.log(
        `Created ${result.users} users and ${result.follows} follows. ` +
          `They all have the password "${result.password}".`,
      );
    });

  fake
    .command('posts')
    .description('create N posts by random existing users, spread over the past year')
    .argument('<n>', `how many posts (1 to ${MAX_ROWS.toLocaleString('en')})`)
    .action(async (n: string) => {
      const count = parseWhole(n, 'The number of posts', 1, MAX_ROWS);
      const { createFakePosts } = await import('../domain/fake/posts.ts');
      const created = await withEntityManager((em, onProgress) =>
        createFakePosts(em, count, { onProgress }),
      );
      console.log(`Created ${created} posts.`);
    });
}
