import type { User } from '../../db/entities/index.ts';
import type { ProfileView } from '../../domain/users.ts';
import { Avatar } from '../../views/components/avatar.tsx';
import { CsrfField } from '../../views/components/csrf-field.tsx';
import { Pagination } from '../../views/components/pagination.tsx';
import { PostList, type PostView } from '../../views/components/post-item.tsx';
import { Timestamp } from '../../views/components/timestamp.tsx';
import { usePage } from '../../views/context.ts';
import { FormPage, type FormPageProps } from '../../views/form-page.tsx';
import { Layout } from '../../views/layout.tsx';
import { profilePath } from '../../views/paths.ts';

type Links = { newer?: string; older?: string };

interface ProfileProps {
  profile: ProfileView;
  posts: PostView[];
  links: Links;
}

export function FollowButton({ profile, following }: { profile: ProfileView; following: boolean }) {
  const action = following ? 'unfollow' : 'follow';
  return (
    <form method="post" action={`/${action}/${encodeURIComponent(profile.username)}`}>
      <CsrfField />
      <button type="submit" class={following ? 'btn btn-outline-secondary' : 'btn btn-primary'}>
        {following ? 'Unfollow' : 'Follow'}
      </button>
    </form>
  );
}

export function ProfilePage({ profile, posts, links }: ProfileProps) {
  const { user } = usePage();
  const path = profilePath(profile);
  return (
    <Layout title={profile.username}>
      <section class="d-flex gap-4 mb-4 profile" aria-label="Profile">
        <Avatar user={profile} size={128} />
        <div>
          <h1 class="h3">User: {profile.username}</h1>
          {profile.aboutMe && <p class="about-me">{profile.aboutMe}</p>}
          {profile.lastSeen && (
            <p class="last-seen">
              Last seen on: <Timestamp date={profile.lastSeen} relative={false} />
            </p>
          )}
          <p class="counts">
            <a href={`${path}/followers`}>{profile.followers} followers</a>,{' '}
            <a href={`${path}/following`}>{profile.following} following</a>
          </p>
          {user?.id === profile.id ? (
            <p>
              <a href="/edit_profile">Edit your profile</a> ·{' '}
              <a href="/auth/change_password">Change password</a>
            </p>
          ) : (
            user && (
              <>
                <FollowButton profile={profile} following={profile.followedByViewer} />
                <p class="mt-2">
                  <a href={`/send_message/${encodeURIComponent(profile.username)}`}>
                    Send private message
                  </a>
                </p>
              </>
            )
          )}
        </div>
      </section>
      <PostList posts={posts} empty={`${profile.username} has not posted yet.`} />
      <Pagination {...links} label="Profile pages" listing="posts" />
    </Layout>
  );
}

interface UserListProps {
  profile: User;
  direction: 'followers' | 'following';
  users: User[];
  links: Links;
}

export function UserListPage({ profile, direction, users, links }: UserListProps) {
  const title =
    direction === 'followers' ? `Followers of ${profile.username}` : `${profile.username} follows`;
  return (
    <Layout title={title}>
      <h1 class="h3">{title}</h1>
      {users.length === 0 ? (
        <p class="text-body-secondary empty">Nobody yet.</p>
      ) : (
        <ul class="list-unstyled users">
          {users.map((user) => (
            <li key={user.id} class="d-flex align-items-center gap-2 py-2 border-bottom">
              <Avatar user={user} size={32} />
              <a href={profilePath(user)}>{user.username}</a>
            </li>
          ))}
        </ul>
      )}
      <Pagination {...links} label={`${title}, pages`} listing="users" />
      <p>
        <a href={profilePath(profile)}>Back to {profile.username}</a>
      </p>
    </Layout>
  );
}

export function EditProfilePage(state: Pick<FormPageProps, 'values' | 'errors'>) {
  return (
    <FormPage
      {...state}
      title="Edit Profile"
      action="/edit_profile"
      submit="Submit"
      fields={[
        { name: 'username', label: 'Username', autocomplete: 'username', maxLength: 64 },
        // No maxlength: browsers count it in UTF-16 units, so 140 emoji would not fit.
        { name: 'about_me', label: 'About me', textarea: true },
      ]}
    />
  );
}
