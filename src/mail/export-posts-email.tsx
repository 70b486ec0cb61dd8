import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Translator } from '../i18n/translator.ts';

interface ExportEmailProps {
  username: string;
  /** The language of the account. */
  translator: Translator;
}

function ExportEmailBody({ username, translator: { t } }: ExportEmailProps) {
  return (
    <div>
      <p>{t('Dear {username},', { username })}</p>
      <p>{t('Please find attached the archive of your posts that you requested.')}</p>
      <p>{t('The Microblog Team')}</p>
    </div>
  );
}

/** The email that carries a user's exported posts (attached as posts.json), as text and HTML. */
export function exportPostsEmail(props: ExportEmailProps) {
  const { t } = props.translator;
  const text = [
    t('Dear {username},', { username: props.username }),
    t('Please find attached the archive of your posts that you requested.'),
    t('The Microblog Team'),
  ];
  return {
    subject: t('[Microblog] Your blog posts'),
    text: `${text.join('\n\n')}\n`,
    html: renderToString(h(ExportEmailBody, props)),
  };
}
