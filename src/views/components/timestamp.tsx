/**
 * A UTC time the reader's browser rewrites in local time ("3 minutes ago", with the
 * full date as a tooltip); without JavaScript the UTC text stays.
 */
export function Timestamp({ date, relative = true }: { date: Date; relative?: boolean }) {
  const iso = date.toISOString();
  return (
    <time
      dateTime={iso}
      data-format={relative ? 'relative' : 'full'}
      title={`${iso.slice(0, 16).replace('T', ' ')} UTC`}
    >
      {iso.slice(0, 16).replace('T', ' ')} UTC
    </time>
  );
}
