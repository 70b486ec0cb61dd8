import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { User } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, TEST_SECRET_KEY, type TestContext } from '../helpers.ts';

const PROMPT = '>>> ';

/**
 * Drives `microblog shell` like a person: types one statement, waits for the prompt
 * that follows its result, and returns what each statement printed.
 */
async function transcript(databaseUrl: string, statements: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'microblog.js'), 'shell'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SECRET_KEY: TEST_SECRET_KEY },
  });
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const outputs: string[] = [];
  const prompts = (async function* () {
    for await (const chunk of child.stdout) {
      buffer += chunk;
      while (buffer.includes(PROMPT)) {
        const at = buffer.indexOf(PROMPT);
        yield buffer.slice(0, at);
        buffer = buffer.slice(at + PROMPT.length);
      }
    }
  })();
  await prompts.next(); // the first prompt
  for (const statement of statements) {
    child.stdin.write(`${statement}\n`);
    const { value, done } = await prompts.next();
    if (done) throw new Error(`the shell exited early: ${stderr}`);
    outputs.push(value.trimEnd());
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return outputs;
}

let db: TestContext;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

test(`Play Time in microblog shell on ${currentDialect()}`, async () => {
  const steps: [string, string][] = [
    ["let u = em.create(User, { username: 'mary', email: 'mary@mail.com' })", 'undefined'],
    ['await em.flush()', 'undefined'],
    ["u = em.create(User, { username: 'lucy', email: 'lucy@mail.com' })", '<User lucy>'],
    ['await em.flush()', 'undefined'],
    ["const users = await em.findAll(User, { orderBy: { id: 'asc' } })", 'undefined'],
    ['users', '[ <User mary>, <User lucy> ]'],
    ['for (const u of users) console.log(u.username)', 'mary\nlucy\nundefined'],
    ['const maryId = users[0].id', 'undefined'],
    ['u = await em.findOne(User, maryId)', '<User mary>'],
    ['await em.findOne(User, maryId + 1)', '<User lucy>'],
    [
      "const p = em.create(Post, { body: 'This is my first post with Microblog!', author: u })",
      'undefined',
    ],
    ['await em.flush()', 'undefined'],
    ['await u.posts.loadItems()', '[ <Post This is my first post with Microblog!> ]'],
    ['u = await em.findOne(User, maryId + 1)', '<User lucy>'],
    ['await u.posts.loadItems()', '[]'],
    [
      "for (const p of await em.findAll(Post, { populate: ['author'] })) console.log(p.author.username, p.body)",
      'mary This is my first post with Microblog!\nundefined',
    ],
    ["await em.findAll(User, { orderBy: { username: 'asc' } })", '[ <User lucy>, <User mary> ]'],
    ['for (const u of await em.findAll(User)) em.remove(u)', 'undefined'],
    ['for (const p of await em.findAll(Post)) em.remove(p)', 'undefined'],
    ['await em.flush()', 'undefined'],
    ['await em.findAll(User)', '[]'],
    ['await em.findAll(Post)', '[]'],
  ];
  const outputs = await transcript(
    db.database.url,
    steps.map(([statement]) => statement),
  );
  steps.forEach(([statement, expected], i) => {
    assert.equal(outputs[i], expected, `>>> ${statement}`);
  });
  assert.equal(await db.em().count(User), 0);
});
