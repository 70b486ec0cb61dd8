import { CsrfField } from '../../views/components/csrf-field.tsx';
import { FormField } from '../../views/components/form-field.tsx';
import { Pagination } from '../../views/components/pagination.tsx';
import { PostList, type PostView } from '../../views/components/post-item.tsx';
import { usePage, useT } from '../../views/context.ts';
import { Layout } from '../../views/layout.tsx';

interface TimelineProps {
  posts: PostView[];
  links: { newer?: string; older?: string };
}

interface HomeProps extends TimelineProps {
  value?: string;
  error?: string;
}

export function HomePage({ posts, links, value, error }: HomeProps) {
  const { user } = usePage();
  const t = useT();
  return (
    <Layout title={t('Home')}>
      <h1 class="h3">{t('Hi, {username}!', { username: user?.username ?? '' })}</h1>
      <form method="post" action="/index" class="mb-4" novalidate>
        <CsrfField />
        <FormField
          name="post"
          label={t('Say something')}
          value={value}
          error={error}
          textarea
          // No maxlength: browsers count it in UTF-16 units, so 140 emoji would not fit.
          required
        />
        <button type="submit" class="btn btn-primary">
          {t('Submit')}
        </button>
      </form>
      <PostList posts={posts} empty={t('No posts yet: follow someone, or say something!')} />
      <Pagination {...links} label={t('Timeline pages')} listing="posts" />
    </Layout>
  );
}

export function ExplorePage({ posts, links }: TimelineProps) {
  const t = useT();
  return (
    <Layout title={t('Explore')}>
      <h1 class="h3">{t('Explore')}</h1>
      <PostList posts={posts} empty={t('No posts yet.')} />
      <Pagination {...links} label={t('Explore pages')} listing="posts" />
    </Layout>
  );
}
