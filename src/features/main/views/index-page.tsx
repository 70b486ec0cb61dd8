import type { Post } from '../../../db/entities/index.ts';
import { Layout } from '../../../views/layout.tsx';

export function IndexPage({ posts }: { posts: Post[] }) {
  return (
    <Layout title="Home">
      <h1>Latest posts</h1>
      {posts.length === 0 ? (
        <p class="empty">No posts yet.</p>
      ) : (
        <ul class="posts">
          {posts.map((post) => (
            <li key={post.id}>
              <strong class="author">{post.author.username}</strong> says:{' '}
              <span class="body">{post.body}</span>{' '}
              <time dateTime={post.timestamp.toISOString()}>
                {post.timestamp.toISOString().replace('T', ' ').slice(0, 16)} UTC
              </time>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
