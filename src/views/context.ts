import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from '../db/entities/index.ts';
import type { AvatarProvider } from '../domain/avatars.ts';
import type { PageNews } from '../domain/news.ts';
import { type Translator, translatorFor } from '../i18n/translator.ts';

export type FlashCategory = 'info' | 'success' | 'warning' | 'danger';

/** A one-time message shown at the top of the next page. */
export interface Flash {
  category: FlashCategory;
  /** A message of the sources, shown in the page's language. */
  message: string;
  values?: Record<string, string | number>;
}

/** What every page may need from the request, without threading it through props. */
export interface PageContextValue {
  user: User | null;
  csrfToken: string;
  flashes: Flash[];
  avatarProvider: AvatarProvider;
  /** For a signed-in user: unread messages and running tasks. */
  news: PageNews;
  /** The page's language: its messages and its dates. */
  translator: Translator;
  /** The address of the page, to come back to (after switching the language). */
  path: string;
  /** Whether a translation service is configured: posts then offer a Translate link. */
  canTranslate: boolean;
}

/** A visitor's: none. */
export const NO_NEWS: PageNews = { unreadMessages: 0, tasks: [] };

/** The context outside any request (fragments rendered once and reused). */
export const NO_PAGE: PageContextValue = {
  user: null,
  csrfToken: '',
  flashes: [],
  avatarProvider: 'identicon',
  news: NO_NEWS,
  translator: translatorFor('en'),
  path: '/',
  canTranslate: false,
};

export const PageContext = createContext<PageContextValue>(NO_PAGE);

export const usePage = () => useContext(PageContext);

/** The page's `t`: a message of the sources, in the page's language. */
export const useT = () => usePage().translator.t;
