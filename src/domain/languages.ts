import { francAll } from 'franc-min';

/**
 * The languages posts are told apart among (ISO 639-3, as franc names them), with their
 * ISO 639-1 codes, which translation services take: the most written on the web. Fewer
 * candidates make short texts less often mistaken for a rare language.
 */
const LANGUAGES: Record<string, string> = {
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  deu: 'de',
  ita: 'it',
  por: 'pt',
  nld: 'nl',
  cat: 'ca',
  pol: 'pl',
  swe: 'sv',
  dan: 'da',
  ron: 'ro',
  ces: 'cs',
  hun: 'hu',
  fin: 'fi',
  tur: 'tr',
  rus: 'ru',
  ukr: 'uk',
  ell: 'el',
  arb: 'ar',
  heb: 'he',
  hin: 'hi',
  cmn: 'zh',
  jpn: 'ja',
  kor: 'ko',
};
const CANDIDATES = Object.keys(LANGUAGES);

/**
 * The language a text is written in (ISO 639-1), told on this server (franc-min, 150 kB, no
 * network), or null when it cannot be told with confidence: too short, or another
 * language scoring close behind. A post without one gets no Translate link (the Flask
 * Microblog sent an empty source language, and failed).
 */
export function detectLanguage(text: string): string | null {
  // Addresses, mentions and tags say nothing of the language around them; and under 20
  // letters ("my first post!") the guesses were wrong too often.
  const words = text.replace(/https?:\/\/\S+|[@#][\p{L}\p{N}_.-]+/gu, ' ');
  if (words.replace(/[^\p{L}]/gu, '').length < 20) return null;
  const [best, next] = francAll(words, { minLength: 8, only: CANDIDATES });
  if (!best || best[0] === 'und' || (next && next[1] > 0.9)) return null;
  return LANGUAGES[best[0]] ?? null;
}
