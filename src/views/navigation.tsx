import type { ComponentChildren } from 'preact';
import { CsrfField } from './components/csrf-field.tsx';
import { usePage, useT } from './context.ts';
import { profilePath } from './paths.ts';

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <li class="nav-item">
      <a class="nav-link" href={href}>
        {children}
      </a>
    </li>
  );
}

/** The navigation bar; on a narrow screen its links fold behind a toggle (Bootstrap's collapse). */
export function Navigation() {
  const { user, news } = usePage();
  const t = useT();
  return (
    <nav class="navbar navbar-expand-sm bg-body-tertiary mb-4" aria-label={t('Main')}>
      <div class="container">
        <a class="navbar-brand" href="/">
          Microblog
        </a>
        <button
          class="navbar-toggler"
          type="button"
          data-bs-toggle="collapse"
          data-bs-target="#main-navigation"
          aria-controls="main-navigation"
          aria-expanded="false"
          aria-label={t('Show the navigation')}
        >
          <span class="navbar-toggler-icon" />
        </button>
        <div class="collapse navbar-collapse" id="main-navigation">
          <ul class="navbar-nav me-auto">
            <NavLink href="/index">{t('Home')}</NavLink>
            <NavLink href="/explore">{t('Explore')}</NavLink>
          </ul>
          <search class="my-2 my-sm-0 me-sm-3">
            <form class="d-flex" method="get" action="/search">
              <label class="visually-hidden" for="navbar-search">
                {t('Search posts')}
              </label>
              <input
                class="form-control form-control-sm me-2"
                type="search"
                id="navbar-search"
                name="q"
                placeholder={t('Search')}
              />
              <button class="btn btn-sm btn-outline-dark" type="submit">
                {t('Search')}
              </button>
            </form>
          </search>
          <ul class="navbar-nav">
            {user ? (
              <>
                <NavLink href="/messages">
                  {t('Messages')}{' '}
                  <span
                    id="message_count"
                    class="badge text-bg-danger"
                    hidden={news.unreadMessages === 0}
                  >
                    {news.unreadMessages}
                  </span>
                </NavLink>
                <NavLink href={profilePath(user)}>{t('Profile')}</NavLink>
                <li class="nav-item">
                  <form method="post" action="/auth/logout" class="d-inline">
                    <CsrfField />
                    <button type="submit" class="btn btn-link nav-link">
                      {t('Logout')}
                    </button>
                  </form>
                </li>
              </>
            ) : (
              <NavLink href="/auth/login">{t('Login')}</NavLink>
            )}
          </ul>
        </div>
      </div>
    </nav>
  );
}
