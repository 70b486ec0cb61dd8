import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Translator } from '../i18n/translator.ts';

interface ResetEmailProps {
  username: string;
  link: string;
  /** The language of the account (or, without one, of whoever asked). */
  translator: Translator;
}

function ResetEmailBody({ username, link, translator: { t } }: ResetEmailProps) {
  return (
    <div>
      <p>{t('Dear {username},', { username })}</p>
      <p>
        <a href={link}>{t('Reset your password')}</a> {t('within 15 minutes.')}
      </p>
      <p>{t('Or paste this link into your browser:')}</p>
      <p>{link}</p>
      <p>{t('If you did not ask for a password reset, ignore this message.')}</p>
      <p>{t('The Microblog Team')}</p>
    </div>
  );
}

/** The reset email as text and HTML; the HTML is escaped by Preact like every page. */
export function resetPasswordEmail(props: ResetEmailProps) {
  const { username, link, translator } = props;
  const { t } = translator;
  const text = [
    t('Dear {username},', { username }),
    t('To reset your password, open this link within 15 minutes:'),
    link,
    t('If you did not ask for a password reset, ignore this message.'),
    t('The Microblog Team'),
  ];
  return {
    subject: t('[Microblog] Reset Your Password'),
    text: `${text.join('\n\n')}\n`,
    html: renderToString(h(ResetEmailBody, props)),
  };
}
