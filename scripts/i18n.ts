/**
 * `npm run i18n`: brings every catalogue in locales/ up to date with the sources. New
 * messages are added with an empty translation (the check in `npm test` fails until a
 * translator fills them in), stale ones are removed, and what is left to do is listed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/load.ts';
import { catalogueProblems, extractMessages, updatedCatalogue } from '../src/i18n/catalogue.ts';
import { LOCALES } from '../src/i18n/locales.ts';

const messages = extractMessages(join(projectRoot, 'src'));
console.log(`${messages.length} messages in the sources`);
for (const locale of LOCALES.filter((locale) => locale !== 'en')) {
  const file = join(projectRoot, 'locales', `${locale}.json`);
  const catalogue = updatedCatalogue(messages, JSON.parse(readFileSync(file, 'utf8')));
  writeFileSync(file, `${JSON.stringify(catalogue, null, 2)}\n`);
  const problems = catalogueProblems(messages, catalogue);
  console.log(
    `locales/${locale}.json: ${problems.length === 0 ? 'complete' : `${problems.length} to do`}`,
  );
  for (const problem of problems) console.log(`  ${problem}`);
}
