import { renderToString } from 'preact-render-to-string';
import { NO_PAGE, PageContext, type PageContextValue, usePage, useT } from '../context.ts';
import { profilePath } from '../paths.ts';
import { Avatar } from './avatar.tsx';
import { Timestamp } from './timestamp.tsx';

/** What a post needs to be shown: an entity or a plain row from a timeline query. */
export interface PostView {
  id: number;
  body: string;
  timestamp: Date;
  /** ISO 639-1, or null when it could not be told: then no Translate link. */
  language?: string | null;
  author: { username: string; email: string };
}

/**
 * "Translate", where a service is configured and the post is in a language the reader does
 * not read; the page's script replaces it with the translation (src/web/translate).
 */
function TranslateLink({ post }: { post: PostView }) {
  const { canTranslate, translator } = usePage();
  const t = useT();
  if (!canTranslate || !post.language || post.language === translator.locale) return null;
  return (
    <p class="mb-0 translation" id={`translation-${post.id}`}>
      <a
        href={`#post-${post.id}`}
        data-translate={post.id}
        data-to={translator.locale}
        data-working={t('Translating…')}
        data-failed={t('Error: the translation service failed.')}
      >
        {t('Translate')}
      </a>
    </p>
  );
}

function PostItem({ post }: { post: PostView }) {
  const t = useT();
  const profile = profilePath(post.author);
  return (
    <article class="d-flex gap-3 py-3 border-bottom post" id={`post-${post.id}`}>
      <a href={profile} tabIndex={-1}>
        <Avatar user={post.author} size={48} />
      </a>
      <div>
        <div>
          <a href={profile} class="fw-semibold author user_popup">
            {post.author.username}
          </a>{' '}
          <small class="text-body-secondary">
            {t('said')} <Timestamp date={post.timestamp} />
          </small>
        </div>
        <p class="mb-0 body">{post.body}</p>
        <TranslateLink post={post} />
      </div>
    </article>
  );
}

/**
 * Rendered posts, remembered: a post's markup depends only on the post, its author's name
 * and email, the avatar provider and the page's language (all in the key), and the same
 * posts fill every reader's timeline. Preact still produces (and escapes) every string kept.
 */
const renderedPosts = new Map<string, string>();
const MAX_RENDERED = 5000;

type PostPage = Pick<PageContextValue, 'avatarProvider' | 'translator' | 'canTranslate'>;

function renderPost(post: PostView, page: PostPage): string {
  const key = `${page.avatarProvider}\n${page.translator.locale}\n${page.canTranslate}\n${post.id}\n${post.timestamp.getTime()}\n${post.language}\n${post.author.username}\n${post.author.email}\n${post.body}`;
  let html = renderedPosts.get(key);
  if (html === undefined) {
    html = renderToString(
      <PageContext.Provider value={{ ...NO_PAGE, ...page }}>
        <PostItem post={post} />
      </PageContext.Provider>,
    );
    if (renderedPosts.size >= MAX_RENDERED) renderedPosts.clear();
    renderedPosts.set(key, html);
  }
  return html;
}

export function PostList({ posts, empty }: { posts: PostView[]; empty: string }) {
  const { avatarProvider, translator, canTranslate } = usePage();
  if (posts.length === 0) return <p class="text-body-secondary empty">{empty}</p>;
  const page = { avatarProvider, translator, canTranslate };
  const html = posts.map((post) => renderPost(post, page)).join('');
  // Safe: every string here was rendered, and escaped, by Preact in renderPost.
  return (
    <section
      aria-label={translator.t('Posts')}
      class="posts"
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
