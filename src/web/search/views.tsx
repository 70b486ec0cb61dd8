import { Pagination } from '../../views/components/pagination.tsx';
import { PostList, type PostView } from '../../views/components/post-item.tsx';
import { useT } from '../../views/context.ts';
import { Layout } from '../../views/layout.tsx';

interface SearchProps {
  query: string;
  posts: PostView[];
  links: { newer?: string; older?: string };
}

export function SearchPage({ query, posts, links }: SearchProps) {
  const t = useT();
  return (
    <Layout title={t('Search')}>
      <h1 class="h3">{t('Search results for “{query}”', { query })}</h1>
      <PostList posts={posts} empty={t('No posts match your search.')} />
      <Pagination {...links} label={t('Search result pages')} listing="posts" />
    </Layout>
  );
}
