import { Pagination } from '../../views/components/pagination.tsx';
import { PostList, type PostView } from '../../views/components/post-item.tsx';
import { ShortTextForm } from '../../views/components/short-text-form.tsx';
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
      <ShortTextForm
        action="/index"
        name="post"
        label={t('Say something')}
        value={value}
        error={error}
      />
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
