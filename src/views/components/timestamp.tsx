import { usePage } from '../context.ts';

/**
 * A time in the page's language, in UTC; the page's script rewrites it in the reader's
 * time zone and, where `relative`, as "3 minutes ago", still in the page's language.
 * Without JavaScript the UTC text stays.
 */
export function Timestamp({ date, relative = true }: { date: Date; relative?: boolean }) {
  const { translator } = usePage();
  const utc = `${translator.dateTime(date)} UTC`;
  return (
    <time dateTime={date.toISOString()} data-format={relative ? 'relative' : 'full'} title={utc}>
      {utc}
    </time>
  );
}
