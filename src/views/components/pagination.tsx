/** "Newer" and "Older" links; a missing URL shows a disabled link. */
export function Pagination({
  newer,
  older,
  label,
}: {
  newer?: string;
  older?: string;
  label: string;
}) {
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
        {link(newer, '← Newer posts', 'prev')}
        {link(older, 'Older posts →', 'next')}
      </ul>
    </nav>
  );
}
