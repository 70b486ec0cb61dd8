import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Config } from '../config.ts';
import type { User } from '../db/entities/index.ts';
import type { Flash } from '../plugins/flash.ts';

/** What every page may need from the request, without threading it through props. */
export interface PageContextValue {
  user: User | null;
  csrfToken: string;
  flashes: Flash[];
  avatarProvider: Config['avatarProvider'];
}

/** The context outside any request (fragments rendered once and reused). */
export const NO_PAGE: PageContextValue = {
  user: null,
  csrfToken: '',
  flashes: [],
  avatarProvider: 'identicon',
};

export const PageContext = createContext<PageContextValue>(NO_PAGE);

export const usePage = () => useContext(PageContext);
