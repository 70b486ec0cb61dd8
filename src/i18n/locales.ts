/** The languages the pages speak; English is the language of the sources. */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const isLocale = (value: unknown): value is Locale =>
  (LOCALES as readonly unknown[]).includes(value);

/** Each language, named in itself, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' };

/**
 * The best of our languages for an Accept-Language header: the highest `q` that names one,
 * exactly or by its primary subtag (`es-AR` is `es`); English when none does.
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  let best: Locale = 'en';
  let bestQuality = 0;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const quality = Number(/^\s*q=([\d.]+)/.exec(params.join(';'))?.[1] ?? 1);
    const primary = range.split('-')[0];
    if (isLocale(primary) && quality > bestQuality) {
      best = primary;
      bestQuality = quality;
    }
  }
  return best;
}
