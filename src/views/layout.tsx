import type { ComponentChildren } from 'preact';
import { assetUrl } from './assets.ts';
import { CsrfField } from './components/csrf-field.tsx';
import { usePage } from './context.ts';
import { profilePath } from './paths.ts';

interface LayoutProps {
  title?: string;
  children: ComponentChildren;
}

/** The navigation bar; on a narrow screen its links fold behind a toggle (Bootstrap's collapse). */
function Navigation() {
  const { user, news } = usePage();
  return (
    <nav class="navbar navbar-expand-sm bg-body-tertiary mb-4" aria-label="Main">
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
          aria-label="Show the navigation"
        >
          <span class="navbar-toggler-icon" />
        </button>
        <div class="collapse navbar-collapse" id="main-navigation">
          <ul class="navbar-nav me-auto">
            <li class="nav-item">
              <a class="nav-link" href="/index">
                Home
              </a>
            </li>
            <li class="nav-item">
              <a class="nav-link" href="/explore">
                Explore
              </a>
            </li>
          </ul>
          <ul class="navbar-nav">
            {user ? (
              <>
                <li class="nav-item">
                  <a class="nav-link" href="/messages">
                    Messages{' '}
                    <span
                      id="message_count"
                      class="badge text-bg-danger"
                      hidden={news.unreadMessages === 0}
                    >
                      {news.unreadMessages}
                    </span>
                  </a>
                </li>
                <li class="nav-item">
                  <a class="nav-link" href={profilePath(user)}>
                    Profile
                  </a>
                </li>
                <li class="nav-item">
                  <form method="post" action="/auth/logout" class="d-inline">
                    <CsrfField />
                    <button type="submit" class="btn btn-link nav-link">
                      Logout
                    </button>
                  </form>
                </li>
              </>
            ) : (
              <li class="nav-item">
                <a class="nav-link" href="/auth/login">
                  Login
                </a>
              </li>
            )}
          </ul>
        </div>
      </div>
    </nav>
  );
}

/**
 * One alert per background task still running ("Exporting posts… 40%"); the notifications
 * script keeps the number current.
 */
function RunningTasks() {
  const { tasks } = usePage().news;
  return (
    <>
      {tasks.map((task) => (
        <div key={task.id} class="alert alert-success task" role="status">
          {task.description} <span id={`${task.id}-progress`}>{task.progress}</span>%
        </div>
      ))}
    </>
  );
}

function Flashes() {
  const { flashes } = usePage();
  if (flashes.length === 0) return null;
  return (
    <div class="flashes">
      {flashes.map((flash) => (
        <div class={`alert alert-${flash.category}`} role="status">
          {flash.message}
        </div>
      ))}
    </div>
  );
}

export function Layout({ title, children }: LayoutProps) {
  const { user } = usePage();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} - Microblog` : 'Welcome to Microblog'}</title>
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl('bootstrap.min.css')} />
        <link rel="stylesheet" href={assetUrl('microblog.css')} />
      </head>
      <body>
        <a class="visually-hidden-focusable" href="#content">
          Skip to content
        </a>
        <header>
          <Navigation />
        </header>
        <main id="content" class="container">
          <RunningTasks />
          <Flashes />
          {children}
        </main>
        <script src={assetUrl('bootstrap.bundle.min.js')} defer />
        <script src={assetUrl('microblog.js')} defer />
        <script src={assetUrl('popovers.js')} defer />
        {user && <script src={assetUrl('notifications.js')} defer />}
      </body>
    </html>
  );
}
