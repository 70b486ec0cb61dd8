import type { ComponentChildren } from 'preact';

interface LayoutProps {
  title?: string;
  children: ComponentChildren;
}

export function Layout({ title, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} - Microblog` : 'Welcome to Microblog'}</title>
      </head>
      <body>
        <header>
          <nav aria-label="Main">
            <a href="/">Microblog</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
