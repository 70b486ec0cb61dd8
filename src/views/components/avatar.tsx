import { avatarUrl } from '../../domain/avatars.ts';
import { usePage, useT } from '../context.ts';

export function Avatar({
  user,
  size,
}: {
  user: { username: string; email: string };
  size: number;
}) {
  const t = useT();
  return (
    <img
      src={avatarUrl(user.email, usePage().avatarProvider, { size })}
      width={size}
      height={size}
      alt={t('Avatar of {username}', { username: user.username })}
      class="rounded"
    />
  );
}
