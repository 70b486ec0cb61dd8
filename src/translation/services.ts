import type { Config } from '../config/load.ts';

/** Translates a post's text between languages (ISO 639-1 codes). */
export interface TranslationService {
  translate(text: string, from: string, to: string): Promise<string>;
}

/** The service failed, was unreachable, or answered something else than a translation. */
export class TranslationFailed extends Error {
  override name = 'TranslationFailed';
}

const TIMEOUT_MS = 10_000;

async function postJson(url: URL, headers: Record<string, string>, body: unknown) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new TranslationFailed(`${url.origin} is unreachable: ${(error as Error).message}`);
  }
  if (!response.ok) throw new TranslationFailed(`${url.origin} answered ${response.status}`);
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new TranslationFailed(`${url.origin} answered something else than JSON`);
  }
}

/** Microsoft Translator (Text Translation v3), as the Flask Microblog uses it. */
function microsoft(base: string, key: string, region?: string): TranslationService {
  return {
    async translate(text, from, to) {
      const url = new URL('translate', base.endsWith('/') ? base : `${base}/`);
      url.search = new URLSearchParams({ 'api-version': '3.0', from, to }).toString();
      const headers: Record<string, string> = { 'Ocp-Apim-Subscription-Key': key };
      if (region) headers['Ocp-Apim-Subscription-Region'] = region;
      const answer = (await postJson(url, headers, [{ Text: text }])) as
        | { translations?: { text?: unknown }[] }[]
        | undefined;
      const translated = answer?.[0]?.translations?.[0]?.text;
      if (typeof translated !== 'string')
        throw new TranslationFailed('no translation in the answer');
      return translated;
    },
  };
}

/** LibreTranslate, which a site can run itself. */
function libreTranslate(base: string, apiKey?: string): TranslationService {
  return {
    async translate(text, from, to) {
      const url = new URL('translate', base.endsWith('/') ? base : `${base}/`);
      const body = { q: text, source: from, target: to, format: 'text', api_key: apiKey };
      const answer = (await postJson(url, {}, body)) as { translatedText?: unknown } | undefined;
      if (typeof answer?.translatedText !== 'string')
        throw new TranslationFailed('no translation in the answer');
      return answer.translatedText;
    },
  };
}

/** The configured service: Microsoft's with a key, else a LibreTranslate server, else none. */
export function translationService(
  settings: Config['translation'],
): TranslationService | undefined {
  if (settings.microsoftKey)
    return microsoft(settings.microsoftUrl, settings.microsoftKey, settings.microsoftRegion);
  if (settings.libreTranslateUrl)
    return libreTranslate(settings.libreTranslateUrl, settings.libreTranslateKey);
  return undefined;
}
