import { msg } from '../../i18n/marker.ts';
import { useT } from '../context.ts';

const WORDING = {
  posts: { newer: msg('← Newer posts'), older: msg('Older posts →') },
  users: { newer: msg('← Previous users'), older: msg('Next users →') },
  messages: { newer: msg('← Newer messages'), older: msg('Older messages →') },
};

/**
 * Links to the neighbouring pages of a list, worded by what it lists; a missing URL shows
 * a disabled link, and a list of one page shows none.
 */
export function Pagination({
  newer,
  older,
  label,
  listing,
}: {
  newer?: string;
  older?: string;
  label: string;
  listing: keyof typeof WORDING;
}) {
  const t = useT();
  if (!newer && !older) return null;
  const link = (href: string | undefined, text: string, rel: string) =>
    href ? (
      <li class="page-item">
        <a class="page-link" href={href} rel={rel}>
          {text}
        </a>
      </li>
    ) : (
      <li class="page-item disabled">
        <span class="page-link" aria-disabled="true">
          {text}
        </span>
      </li>
    );
  return (
    <nav aria-label={label} class="mt-3">
      <ul class="pagination justify-content-between">
        {link(newer, t(WORDING[listing].newer), 'prev')}
        {link(older, t(WORDING[listing].older), 'next')}
      </ul>
    </nav>
  );
}
