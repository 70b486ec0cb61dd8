import { Layout } from './layout.tsx';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Request too large',
  429: 'Too many requests',
  500: 'An unexpected error has occurred',
};

const EXPLANATIONS: Record<number, string> = {
  404: 'There is nothing at this address.',
};

export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const title = TITLES[status] ?? 'Error';
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="error-detail">{message ?? EXPLANATIONS[status] ?? title}</p>
      <p>
        <a href="/">Back</a>
      </p>
    </Layout>
  );
}
