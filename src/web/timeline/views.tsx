import { CsrfField } from '../../views/components/csrf-field.tsx';
import { FormField } from '../../views/components/form-field.tsx';
import { Pagination } from '../../views/components/pagination.tsx';
import { PostList, type PostView } from '../../views/components/post-item.tsx';
import { usePage } from '../../views/context.ts';
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
  return (
    <Layout title="Home">
      <h1 class="h3">Hi, {user?.username}!</h1>
      <form method="post" action="/index" class="mb-4" novalidate>
        <CsrfField />
        <FormField
          name="post"
          label="Say something"
          value={value}
          error={error}
          textarea
          // No maxlength: browsers count it in UTF-16 units, so 140 emoji would not fit.
          required
        />
        <button type="submit" class="btn btn-primary">
          Submit
        </button>
      </form>
      <PostList posts={posts} empty="No posts yet: follow someone, or say something!" />
      <Pagination {...links} label="Timeline pages" listing="posts" />
    </Layout>
  );
}

export function ExplorePage({ posts, links }: TimelineProps) {
  return (
    <Layout title="Explore">
      <h1 class="h3">Explore</h1>
      <PostList posts={posts} empty="No posts yet." />
      <Pagination {...links} label="Explore pages" listing="posts" />
    </Layout>
  );
}
