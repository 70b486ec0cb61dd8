import { Avatar } from './avatar.tsx';
import { Timestamp } from './timestamp.tsx';

/** What a post needs to be shown: an entity or a plain row from a timeline query. */
export interface PostView {
  id: number;
  body: string;
  timestamp: Date;
  author: { username: string; email: string };
}

export function PostItem({ post }: { post: PostView }) {
  const profile = `/user/${encodeURIComponent(post.author.username)}`;
  return (
    <article class="d-flex gap-3 py-3 border-bottom post" id={`post-${post.id}`}>
      <a href={profile} tabIndex={-1}>
        <Avatar user={post.author} size={48} />
      </a>
      <div>
        <div>
          <a href={profile} class="fw-semibold author">
            {post.author.username}
          </a>{' '}
          <small class="text-body-secondary">
            said <Timestamp date={post.timestamp} />
          </small>
        </div>
        <p class="mb-0 body">{post.body}</p>
      </div>
    </article>
  );
}

export function PostList({ posts, empty }: { posts: PostView[]; empty: string }) {
  if (posts.length === 0) return <p class="text-body-secondary empty">{empty}</p>;
  return (
    <section aria-label="Posts" class="posts">
      {posts.map((post) => (
        <PostItem key={post.id} post={post} />
      ))}
    </section>
  );
}
