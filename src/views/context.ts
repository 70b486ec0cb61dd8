import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from '../db/entities/index.ts';
import type { AvatarProvider } from '../domain/avatars.ts';
import type { PageNews } from '../domain/news.ts';

export type FlashCategory = 'info' | 'success' | 'warning' | 'danger';

/** A one-time message shown at the top of the next page. */
export interface Flash {
  category: FlashCategory;
  message: string;
}

/** What every page may need from the request, without threading it through props. */
export interface PageContextValue {
  user: User | null;
  csrfToken: string;
  flashes: Flash[];
  avatarProvider: AvatarProvider;
  /** For a signed-in user: unread messages and running tasks. */
  news: PageNews;
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
};

export const PageContext = createContext<PageContextValue>(NO_PAGE);

export const usePage = () => useContext(PageContext);
