import { msg } from '../i18n/marker.ts';
import { useT } from './context.ts';
import { Layout } from './layout.tsx';

const TITLES: Record<number, string> = {
  400: msg('Bad request'),
  403: msg('Forbidden'),
  404: msg('Not found'),
  405: msg('Method not allowed'),
  413: msg('Request too large'),
  429: msg('Too many requests'),
  500: msg('An unexpected error has occurred'),
};

/** An error page; `message`, already in the page's language, says what went wrong. */
export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const t = useT();
  const title = t(TITLES[status] ?? msg('Error'));
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="error-detail">{message ?? title}</p>
      <p>
        <a href="/">{t('Back')}</a>
      </p>
    </Layout>
  );
}
