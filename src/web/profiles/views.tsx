import type { User } from '../../db/entities/index.ts';
import type { ProfileView } from '../../domain/users.ts';
import { LOCALE_NAMES, LOCALES } from '../../i18n/locales.ts';
import { Avatar } from '../../views/components/avatar.tsx';
import { CsrfField } from '../../views/components/csrf-field.tsx';
import { Pagination } from '../../views/components/pagination.tsx';
import { PostList, type PostView } from '../../views/components/post-item.tsx';
import { Timestamp } from '../../views/components/timestamp.tsx';
import { usePage, useT } from '../../views/context.ts';
import { FormPage, type FormPageProps } from '../../views/form-page.tsx';
import { Layout } from '../../views/layout.tsx';
import { profilePath } from '../../views/paths.ts';

type Links = { newer?: string; older?: string };

interface ProfileProps {
  profile: ProfileView;
  posts: PostView[];
  links: Links;
  /** Whether an export of the viewer's own posts runs: the button to start one is hidden. */
  exporting: boolean;
}

export function FollowButton({ profile, following }: { profile: ProfileView; following: boolean }) {
  const t = useT();
  const action = following ? 'unfollow' : 'follow';
  return (
    <form method="post" action={`/${action}/${encodeURIComponent(profile.username)}`}>
      <CsrfField />
      <button type="submit" class={following ? 'btn btn-outline-secondary' : 'btn btn-primary'}>
        {following ? t('Unfollow') : t('Follow')}
      </button>
    </form>
  );
}

function ExportButton() {
  const t = useT();
  return (
    <form method="post" action="/export_posts">
      <CsrfField />
      <button type="submit" class="btn btn-outline-secondary btn-sm">
        {t('Export your posts')}
      </button>
    </form>
  );
}

/** An admin's control: whether the account is disabled, and the button that changes it. */
function AccountStatus({ profile }: { profile: ProfileView }) {
  const t = useT();
  const action = profile.disabled ? 'enable' : 'disable';
  return (
    <form
      method="post"
      action={`${profilePath(profile)}/${action}`}
      class="account-status d-flex align-items-center gap-2 mt-2"
    >
      <CsrfField />
      {profile.disabled && (
        <span class="badge text-bg-warning">{t('This account is disabled.')}</span>
      )}
      <button
        type="submit"
        class={
          profile.disabled ? 'btn btn-outline-success btn-sm' : 'btn btn-outline-danger btn-sm'
        }
      >
        {profile.disabled ? t('Enable') : t('Disable')}
      </button>
    </form>
  );
}

/** "3 followers, 2 following", each a link to its list. */
export function FollowCounts({ profile }: { profile: ProfileView }) {
  const t = useT();
  const path = profilePath(profile);
  return (
    <p class="counts">
      <a href={`${path}/followers`}>
        {t('{count, plural, one {# follower} other {# followers}}', { count: profile.followers })}
      </a>
      ,{' '}
      <a href={`${path}/following`}>
        {t('{count, plural, one {# following} other {# following}}', { count: profile.following })}
      </a>
    </p>
  );
}

/** "Last seen on …", in the page's language. */
export function LastSeen({ profile }: { profile: ProfileView }) {
  const t = useT();
  if (!profile.lastSeen) return null;
  return (
    <p class="last-seen">
      {t('Last seen on:')} <Timestamp date={profile.lastSeen} relative={false} />
    </p>
  );
}

export function ProfilePage({ profile, posts, links, exporting }: ProfileProps) {
  const { user } = usePage();
  const t = useT();
  return (
    <Layout title={profile.username}>
      <section class="d-flex gap-4 mb-4 profile" aria-label={t('Profile')}>
        <Avatar user={profile} size={128} />
        <div>
          <h1 class="h3">{t('User: {username}', { username: profile.username })}</h1>
          {profile.aboutMe && <p class="about-me">{profile.aboutMe}</p>}
          <LastSeen profile={profile} />
          <FollowCounts profile={profile} />
          {user?.id === profile.id ? (
            <>
              <p>
                <a href="/edit_profile">{t('Edit your profile')}</a> ·{' '}
                <a href="/auth/change_password">{t('Change password')}</a>
              </p>
              {!exporting && <ExportButton />}
            </>
          ) : (
            user && (
              <>
                <FollowButton profile={profile} following={profile.followedByViewer} />
                <p class="mt-2">
                  <a href={`/send_message/${encodeURIComponent(profile.username)}`}>
                    {t('Send private message')}
                  </a>
                </p>
              </>
            )
          )}
          {user?.isAdmin && user.id !== profile.id && <AccountStatus profile={profile} />}
        </div>
      </section>
      <PostList
        posts={posts}
        empty={t('{username} has not posted yet.', { username: profile.username })}
      />
      <Pagination {...links} label={t('Profile pages')} listing="posts" />
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
  const t = useT();
  const { username } = profile;
  const title =
    direction === 'followers'
      ? t('Followers of {username}', { username })
      : t('{username} follows', { username });
  return (
    <Layout title={title}>
      <h1 class="h3">{title}</h1>
      {users.length === 0 ? (
        <p class="text-body-secondary empty">{t('Nobody yet.')}</p>
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
      <Pagination {...links} label={t('{title}, pages', { title })} listing="users" />
      <p>
        <a href={profilePath(profile)}>{t('Back to {username}', { username })}</a>
      </p>
    </Layout>
  );
}

export function EditProfilePage(state: Pick<FormPageProps, 'values' | 'errors'>) {
  const t = useT();
  const languages = [
    { value: '', label: t("The browser's language") },
    ...LOCALES.map((locale) => ({ value: locale, label: LOCALE_NAMES[locale] })),
  ];
  return (
    <FormPage
      {...state}
      title={t('Edit Profile')}
      action="/edit_profile"
      submit={t('Submit')}
      fields={[
        { name: 'username', label: t('Username'), autocomplete: 'username', maxLength: 64 },
        // No maxlength: browsers count it in UTF-16 units, so 140 emoji would not fit.
        { name: 'about_me', label: t('About me'), textarea: true },
        { name: 'locale', label: t('Language'), options: languages },
      ]}
    />
  );
}
