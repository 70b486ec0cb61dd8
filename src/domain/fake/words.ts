// Word lists for `microblog fake`, and the text made from them. Name parts are lower-case ASCII letters only, so any
// username built from them passes the registration rule; the post vocabulary mixes in
// accents, other scripts and single-code-point emoji, so demo timelines exercise
// non-ASCII text without risking a body over 140 characters.

/** Comma-separated words; written as text so the formatter keeps the lists compact. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
}

const FIRST_NAMES = list(`
  aaliyah, ada, ahmed, aiko, alba, alex, amara, amelia, ana, anders, arjun, aurora, ben,
  bianca, carlos, chen, chloe, dara, david, diego, elena, eli, emma, farah, felix, freya,
  gabriel, grace, hana, hugo, ines, isaac, ivy, jamal, jonas, julia, kai, kenji, lara, leo,
  lina, lucas, luis, maya, miguel, mila, miriam, nadia, noah, nora, olga, omar, oscar, priya,
  rafael, ravi, rosa, ruth, sam, sara, sofia, susan, tariq, theo, tomas, uma, vera, wei,
  yara, yusuf, zoe, zara`);

const LAST_NAMES = list(`
  abbott, alvarez, berg, brooks, castro, chowdhury, costa, dubois, engel, fischer, garcia,
  haddad, hansen, ito, jensen, kowalski, kumar, larsen, lopez, mendes, moreau, murphy,
  nakamura, novak, okafor, olsen, park, patel, quinn, rossi, santos, schmidt, silva, tanaka,
  torres, varga, weber, wong, yilmaz, zhang`);

const ADJECTIVES = list(`
  quiet, bright, lazy, brave, calm, clever, cosmic, curious, dusty, eager, fancy, gentle,
  golden, happy, hidden, jolly, lucky, mellow, misty, noble, odd, plain, proud, rapid, rusty,
  silent, sleepy, snowy, sunny, swift, tiny, wild, windy, witty, young, zesty`);

const NOUNS = list(`
  otter, falcon, river, maple, comet, harbor, meadow, pixel, lantern, fox, badger, cedar,
  cloud, ember, garden, island, kettle, lighthouse, moon, orchard, panda, pebble, rocket,
  sparrow, teapot, tiger, valley, walrus, willow, wizard, notebook, bicycle, guitar, mountain,
  library, sandwich`);

const PLURAL_NOUNS = list(`
  books, bugs, cats, clouds, cookies, deadlines, dogs, emails, friends, ideas, meetings,
  migrations, mountains, photos, plants, podcasts, puzzles, recipes, songs, stars, tests,
  trains, waves, tacos, croissants, jalapeños`);

const VERBS = list(`
  read, write, cook, fix, paint, refactor, deploy, bake, draw, learn, water, photograph,
  climb, sketch, debug, visit, build, review`);

const PAST_VERBS = list(`
  finished, started, found, fixed, baked, painted, deployed, visited, discovered, lost,
  watched, read, built, tried, planted, shipped`);

const TOPICS = list(`
  Python, TypeScript, databases, jazz, gardening, astronomy, chess, coffee, photography,
  typography, running, origami, crème brûlée, smørrebrød, naïve art, the café downstairs,
  Flask, SQL indexes, piñatas, haiku, mathematics`);

const PLACES = list(`
  Lisbon, Zürich, São Paulo, Kraków, Reykjavík, Montréal, Tokyo, 東京, Москва, Berlin,
  Nairobi, Lagos, Seoul, Sevilla, Göteborg, Oaxaca, the park, the office, the library,
  the kitchen, the mountains`);

const DAYS = list(`
  Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday, the weekend`);

/** One code point each: no skin tones, variation selectors or joiners. */
const EMOJI = list('🎉, 😀, 🚀, 🌍, ☕, 📚, 🎶, 🐍, 🍕, 🐱, ✨, 🔥, 👍, 😂, 🌸');

/** Whole posts that are short on purpose, so lengths start at one character. */
const SHORT_POSTS = [
  '👍',
  '🎉',
  'Hi!',
  'ok',
  'Yes.',
  'Nope.',
  'Hello, world!',
  'Bonjour !',
  'こんにちは',
  'Привет!',
  '¡Hola!',
  'brb ☕',
];

/**
 * Sentence shapes; `{x}` is filled from the list of that name, `{Adj}` capitalised. Each
 * stays well under 140 characters, so a post is a few of them, cut at a word boundary.
 */
const TEMPLATES = [
  'Just {past} a {adj} {noun} in {place}.',
  'Does anyone else {verb} {plural} on {day}?',
  'Reading about {topic} again.',
  'Note to self: {verb} more {plural}.',
  '{Adj} {noun} today {emoji}',
  'Spent {day} trying to {verb} {plural}.',
  'Hot take: {topic} is underrated.',
  'Finally {past} the {noun}. {emoji}',
  'Greetings from {place}! {emoji}',
  'My {noun} has opinions about {topic}.',
  'Who wants to {verb} {plural} with me in {place}?',
  'Three things I love: {plural}, {topic} and {plural}.',
  'Today I learned something new about {topic}.',
  'If you {verb} {plural} before breakfast, you are my hero.',
  '{Adj} morning in {place}. {emoji}',
];

const ABOUT_ME = [
  'I {verb} {plural} and write about {topic}.',
  '{Adj} {noun} from {place}.',
  'Into {topic}, {topic} and {plural}. {emoji}',
  'Usually found in {place}, thinking about {topic}.',
  'I {verb} things. Sometimes they work.',
  'Fan of {plural} and {topic}.',
];

export function randomInt(below: number): number {
  return Math.floor(Math.random() * below);
}

export function pick<T>(list: readonly T[]): T {
  return list[randomInt(list.length)];
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const FILLERS: Record<string, () => string> = {
  adj: () => pick(ADJECTIVES),
  Adj: () => capitalize(pick(ADJECTIVES)),
  noun: () => pick(NOUNS),
  plural: () => pick(PLURAL_NOUNS),
  verb: () => pick(VERBS),
  past: () => pick(PAST_VERBS),
  topic: () => pick(TOPICS),
  place: () => pick(PLACES),
  day: () => pick(DAYS),
  emoji: () => pick(EMOJI),
};

function fill(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => FILLERS[name]());
}

const MAX_BODY = 140;

const codePoints = (text: string) => [...text].length;

/** Cuts to `max` characters (code points, as the post form counts), at a word if it can. */
function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : cut).trimEnd();
}

/** A post of 1 to 140 characters: now and then a one-word post, usually a few sentences. */
export function fakePostBody(): string {
  if (Math.random() < 0.05) return pick(SHORT_POSTS);
  const target = 20 + randomInt(MAX_BODY - 19);
  let body = fill(pick(TEMPLATES));
  for (;;) {
    const next = fill(pick(TEMPLATES));
    if (codePoints(body) + 1 + codePoints(next) > target) break;
    body += ` ${next}`;
  }
  return clip(body, MAX_BODY);
}

/**
 * A plausible username ending in `serial`. Each base ends in a letter, so distinct
 * serials give distinct names. At most 12 + 1 + 12 + 8 characters, well under 64.
 */
export function fakeUsername(serial: number): string {
  const first = pick(FIRST_NAMES);
  switch (randomInt(4)) {
    case 0:
      return `${first}.${pick(LAST_NAMES)}${serial}`;
    case 1:
      return `${first}_${pick(NOUNS)}${serial}`;
    case 2:
      return `${pick(ADJECTIVES)}-${pick(NOUNS)}${serial}`;
    default:
      return `${first}${serial}`;
  }
}

/** An about-me line; the column holds 140 characters, like a post. */
export function fakeAboutMe(): string {
  return clip(fill(pick(ABOUT_ME)), MAX_BODY);
}
