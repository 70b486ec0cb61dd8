import { avatarUrl } from '../../domain/avatars.ts';
import { usePage } from '../context.ts';

export function Avatar({
  user,
  size,
}: {
  user: { username: string; email: string };
  size: number;
}) {
  return (
    <img
      src={avatarUrl(user.email, usePage().avatarProvider, { size })}
      width={size}
      height={size}
      alt={`Avatar of ${user.username}`}
      class="rounded"
    />
  );
}
