const WORDING = {
  posts: { newer: '← Newer posts', older: 'Older posts →' },
  users: { newer: '← Previous users', older: 'Next users →' },
  messages: { newer: '← Newer messages', older: 'Older messages →' },
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
        {link(newer, WORDING[listing].newer, 'prev')}
        {link(older, WORDING[listing].older, 'next')}
      </ul>
    </nav>
  );
}
