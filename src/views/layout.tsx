import type { ComponentChildren } from 'preact';
import { assetUrl } from './assets.ts';
import { LanguageSwitch } from './components/language-switch.tsx';
import { usePage, useT } from './context.ts';
import { Navigation } from './navigation.tsx';

interface LayoutProps {
  title?: string;
  children: ComponentChildren;
}

/**
 * One alert per background task still running ("Exporting posts… 40%"); the notifications
 * script keeps the number current.
 */
function RunningTasks() {
  const { tasks } = usePage().news;
  const t = useT();
  return (
    <>
      {tasks.map((task) => (
        <div key={task.id} class="alert alert-success task" role="status">
          {t(task.description)} <span id={`${task.id}-progress`}>{task.progress}</span>%
        </div>
      ))}
    </>
  );
}

function Flashes() {
  const { flashes } = usePage();
  const t = useT();
  if (flashes.length === 0) return null;
  return (
    <div class="flashes">
      {flashes.map((flash) => (
        <div class={`alert alert-${flash.category}`} role="status">
          {t(flash.message, flash.values)}
        </div>
      ))}
    </div>
  );
}

export function Layout({ title, children }: LayoutProps) {
  const { user, translator, canTranslate, csrfToken } = usePage();
  const t = useT();
  return (
    <html lang={translator.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? t('{title} - Microblog', { title }) : t('Welcome to Microblog')}</title>
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl('bootstrap.min.css')} />
        <link rel="stylesheet" href={assetUrl('microblog.css')} />
        {canTranslate && <meta name="csrf-token" content={csrfToken} />}
      </head>
      <body>
        <a class="visually-hidden-focusable" href="#content">
          {t('Skip to content')}
        </a>
        <header>
          <Navigation />
        </header>
        <main id="content" class="container">
          <RunningTasks />
          <Flashes />
          {children}
        </main>
        <footer class="container my-4 text-body-secondary">
          <LanguageSwitch />
        </footer>
        <script src={assetUrl('bootstrap.bundle.min.js')} defer />
        <script src={assetUrl('microblog.js')} defer />
        <script src={assetUrl('popovers.js')} defer />
        {user && <script src={assetUrl('notifications.js')} defer />}
        {canTranslate && <script src={assetUrl('translate.js')} defer />}
      </body>
    </html>
  );
}
