/**
 * Readers for the rendered HTML of the web pages. Preact's output is regular, so one
 * element is one pattern. Every returned text has its entities decoded.
 */
import assert from 'node:assert/strict';

/** Text with the entities Preact writes (`&lt; &gt; &quot; &#39; &amp;`) turned back. */
export const decode = (text: string) =>
  text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : name === '#39' ? "'" : '&',
  );

/** The first group of `pattern` in `html`, decoded; undefined when it does not match. */
function firstGroup(pattern: RegExp, html: string): string | undefined {
  const match = pattern.exec(html);
  return match ? decode(match[1]) : undefined;
}

// --- page structure ---

/** The heading of a page (error pages and forms both have exactly one h1). */
export function heading(html: string): string | undefined {
  return firstGroup(/<h1[^>]*>([^<]*)<\/h1>/, html);
}

/** The title of an error page (the h1 right inside the main container). */
export const errorTitle = (html: string) =>
  firstGroup(/<main id="content" class="container"><h1>(.*?)<\/h1>/, html);

/** An error page: its title, its detail line, and whether it is inside the site layout. */
export const errorPage = (html: string) => ({
  title: errorTitle(html),
  detail: firstGroup(/<p class="error-detail">(.*?)<\/p>/, html),
  inLayout: /<nav class="navbar[^"]*" aria-label="Main">/.test(html),
});

/** The page's form-level alert (e.g. a failed login), if any. */
export function alertText(html: string): string | undefined {
  return firstGroup(/<div class="alert alert-danger" role="alert">([^<]*)<\/div>/, html);
}

/**
 * Who the navigation bar says is signed in: a username, or null for a visitor. Asserts
 * that the bar is consistent: Profile and Logout come together, and Login otherwise.
 */
export function navUser(html: string): string | null {
  const profile = /<a class="nav-link" href="\/user\/([^"]+)">Profile<\/a>/.exec(html);
  const login = /<a class="nav-link" href="\/auth\/login">Login<\/a>/.test(html);
  const logout = /<form method="post" action="\/auth\/logout"/.test(html);
  assert.equal(Boolean(profile), logout, 'Profile and Logout come together');
  assert.notEqual(Boolean(profile), login, 'either Profile or Login');
  return profile ? decodeURIComponent(profile[1]) : null;
}

// --- forms ---

/** The attributes of an element's opening tag, entities decoded. */
export function attributes(tag: string): Record<string, string> {
  return Object.fromEntries(
    [...tag.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)].map((m) => [m[1], decode(m[2] ?? '')]),
  );
}

/** Every `<input>` of the page by name. */
export function inputs(html: string): Record<string, Record<string, string>> {
  const found = [...html.matchAll(/<input ([^>]*?)\/?>/g)].map((m) => attributes(m[1]));
  return Object.fromEntries(found.map((attrs) => [attrs.name, attrs]));
}

/** The value of the input `field-<name>`, if the page has one. */
export const inputValue = (html: string, name: string) =>
  firstGroup(new RegExp(`<input id="field-${name}" name="${name}"[^>]* value="([^"]*)"`), html);

/** The text in the textarea `field-<name>` (what a rejected form re-renders). */
export const textareaValue = (html: string, name: string) =>
  firstGroup(
    new RegExp(`<textarea id="field-${name}" name="${name}"[^>]*>(.*?)</textarea>`, 's'),
    html,
  );

/** The action of the page's first POST form. */
export const formAction = (html: string) =>
  firstGroup(/<form method="post" action="([^"]*)"/, html);

/** The error message shown for the field `name`, if any. */
export const fieldError = (html: string, name: string) =>
  firstGroup(
    new RegExp(`<div id="field-${name}-error" class="invalid-feedback">(.*?)</div>`),
    html,
  );

/**
 * The field errors of a form page, by input name. Asserts that each message sits right
 * after its input, in the `field-<name>-error` div the input points at with
 * aria-describedby, that the input is marked invalid, and that no message stands alone.
 */
export function fieldErrors(html: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const pattern =
    /<input ([^>]*?)\/?>\s*<div id="([\w-]+)" class="invalid-feedback">([^<]*)<\/div>/g;
  for (const [, tag, id, message] of html.matchAll(pattern)) {
    const input = attributes(tag);
    assert.equal(id, `field-${input.name}-error`, 'the message belongs to the input before it');
    assert.equal(input['aria-describedby'], id, `${input.name}: the message is tied to its input`);
    assert.match(input.class, /\bis-invalid\b/);
    assert.equal(input['aria-invalid'], 'true');
    errors[input.name] = decode(message);
  }
  const all = html.match(/class="invalid-feedback"/g)?.length ?? 0;
  assert.equal(all, Object.keys(errors).length, 'every error message sits beside its input');
  return errors;
}

// --- posts, lists and pagination ---

export interface RenderedPost {
  id: number;
  author: string;
  body: string;
  datetime: string;
}

/** The posts of a page, in page order. */
export function postsOf(html: string): RenderedPost[] {
  return [
    ...html.matchAll(/<article class="[^"]*\bpost\b[^"]*" id="post-(\d+)">(.*?)<\/article>/gs),
  ].map(([, id, inner]) => ({
    id: Number(id),
    author: decode(
      /<a href="[^"]*" class="fw-semibold author user_popup">(.*?)<\/a>/.exec(inner)?.[1] ?? '',
    ),
    body: decode(/<p class="mb-0 body">(.*?)<\/p>/s.exec(inner)?.[1] ?? ''),
    datetime: /<time datetime="([^"]+)"/.exec(inner)?.[1] ?? '',
  }));
}

const PAGER_WORDING = {
  posts: ['← Newer posts', 'Older posts →'],
  users: ['← Previous users', 'Next users →'],
  messages: ['← Newer messages', 'Older messages →'],
};

/**
 * The links to the neighbouring pages, worded for what is listed: a URL, or null when shown
 * disabled. Null when the page shows none (a list of one page).
 */
export function pagerOf(html: string, listing: keyof typeof PAGER_WORDING = 'posts') {
  const nav =
    /<nav aria-label="[^"]*" class="mt-3"><ul class="pagination[^"]*">(.*?)<\/ul><\/nav>/s.exec(
      html,
    )?.[1];
  if (!nav) return null;
  const link = (text: string) => {
    const match = new RegExp(
      `<li class="page-item( disabled)?">(?:<a class="page-link" href="([^"]*)" rel="\\w+">|<span class="page-link" aria-disabled="true">)${text}<`,
    ).exec(nav);
    assert.ok(match, `a "${text}" item`);
    return match[1] ? null : decode(match[2]);
  };
  const [newer, older] = PAGER_WORDING[listing];
  return { newer: link(newer), older: link(older) };
}

/** The names of a followers/following list. */
export const listedUsers = (html: string) =>
  [
    ...html.matchAll(/<li class="[^"]*"><img [^>]*\/><a href="\/user\/[^"]*">(.*?)<\/a><\/li>/g),
  ].map((match) => decode(match[1]));

/** The profile header: everything the section about the user shows. */
export function profileOf(html: string) {
  const section =
    /<section class="[^"]*\bprofile\b[^"]*" aria-label="Profile">(.*?)<\/section>/s.exec(html)?.[1];
  assert.ok(section, 'a profile section');
  const forms = [...section.matchAll(/<form method="post" action="([^"]*)">(.*?)<\/form>/gs)].map(
    ([, action, inner]) => ({
      action: decode(action),
      csrf: /<input type="hidden" name="_csrf" value="[^"]+"\/>/.test(inner),
      button: firstGroup(/<button type="submit"[^>]*>(.*?)<\/button>/, inner),
    }),
  );
  return {
    heading: firstGroup(/<h1 class="h3">(.*?)<\/h1>/, section),
    aboutMe: firstGroup(/<p class="about-me">(.*?)<\/p>/s, section),
    lastSeen: firstGroup(/<p class="last-seen">Last seen on: <time datetime="([^"]+)"/, section),
    lastSeenText: firstGroup(
      /<p class="last-seen">Last seen on: <time [^>]*>(.*?)<\/time>/,
      section,
    ),
    followers: firstGroup(/<a href="[^"]*\/followers">(\d+) followers?<\/a>/, section),
    following: firstGroup(/<a href="[^"]*\/following">(\d+) following<\/a>/, section),
    avatar: firstGroup(
      /<img src="([^"]*)" width="128" height="128" alt="Avatar of [^"]*"/,
      section,
    ),
    editLink: section.includes('<a href="/edit_profile">Edit your profile</a>'),
    forms,
  };
}

/** The navbar's unread-messages badge: its number, and whether it shows. */
export function badgeOf(html: string): { count: number; shown: boolean } | null {
  const match =
    /<span id="message_count" class="badge text-bg-danger"( hidden)?>(\d+)<\/span>/.exec(html);
  return match ? { count: Number(match[2]), shown: !match[1] } : null;
}

/** The messages of a /messages page: sender and body, newest first. */
export const messagesOf = (html: string) =>
  [
    ...html.matchAll(
      /<article [^>]*class="[^"]*message"[^>]*>.*?class="fw-semibold author user_popup">(.*?)<\/a>.*?<p class="mb-0 body">(.*?)<\/p>/gs,
    ),
  ].map((match) => ({ from: decode(match[1]), body: decode(match[2]) }));
