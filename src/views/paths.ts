/** The address of a user's profile page. */
export function profilePath(user: { username: string }): string {
  return `/user/${encodeURIComponent(user.username)}`;
}
