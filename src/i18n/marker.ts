/**
 * Marks an English message for translation where it is written but shown elsewhere (a
 * domain error's words, shown in the reader's language by the page or the API). It returns
 * the text unchanged; `npm run i18n` finds it, as it finds `t('…')`.
 */
export const msg = (text: string): string => text;
