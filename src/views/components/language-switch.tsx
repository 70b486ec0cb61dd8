import { LOCALE_NAMES, LOCALES } from '../../i18n/locales.ts';
import { usePage, useT } from '../context.ts';
import { CsrfField } from './csrf-field.tsx';

/** A button per language, each named in itself; the current one is pressed. */
export function LanguageSwitch() {
  const { translator, path } = usePage();
  const t = useT();
  return (
    <form method="post" action="/language" class="language-switch" aria-label={t('Language')}>
      <CsrfField />
      <input type="hidden" name="next" value={path} />
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="submit"
          name="locale"
          value={locale}
          lang={locale}
          class="btn btn-link btn-sm"
          aria-pressed={translator.locale === locale ? 'true' : 'false'}
        >
          {LOCALE_NAMES[locale]}
        </button>
      ))}
    </form>
  );
}
