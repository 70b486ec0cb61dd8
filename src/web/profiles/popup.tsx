import type { ProfileView } from '../../domain/users.ts';
import { Avatar } from '../../views/components/avatar.tsx';
import { usePage } from '../../views/context.ts';
import { profilePath } from '../../views/paths.ts';
import { FollowButton, FollowCounts, LastSeen } from './views.tsx';

/**
 * What hovering or focusing a username shows (`/user/<name>/popup`), as in the Flask
 * Microblog: the avatar, about me, last seen, the counts, and the follow button.
 */
export function UserPopup({ profile }: { profile: ProfileView }) {
  const { user } = usePage();
  return (
    <div class="user-popup d-flex gap-3">
      <Avatar user={profile} size={64} />
      <div>
        <p class="mb-1">
          <a href={profilePath(profile)} class="fw-semibold">
            {profile.username}
          </a>
        </p>
        {profile.aboutMe && <p class="mb-1 about-me">{profile.aboutMe}</p>}
        <LastSeen profile={profile} />
        <FollowCounts profile={profile} />
        {user && user.id !== profile.id && (
          <FollowButton profile={profile} following={profile.followedByViewer} />
        )}
      </div>
    </div>
  );
}
