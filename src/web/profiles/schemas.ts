import Type from 'typebox';
import { ABOUT_ME, USERNAME } from '../../domain/rules.ts';
import { LOCALES } from '../../i18n/locales.ts';

export const EditProfileForm = Type.Object({
  username: USERNAME,
  about_me: Type.Optional(ABOUT_ME),
  /** Empty: the browser's language. */
  locale: Type.Optional(
    Type.Union([Type.Literal(''), ...LOCALES.map((locale) => Type.Literal(locale))]),
  ),
});
