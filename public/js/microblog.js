// Progressive enhancement: rewrites <time datetime="…Z"> in the reader's time zone and,
// where the page asks, in relative form ("3 minutes ago", updated every minute), in the
// page's language (<html lang>), never the browser's. Without it, the UTC text stays.
(() => {
  const language = document.documentElement.lang || 'en';
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const full = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const units = [
    ['year', 31536000],
    ['month', 2592000],
    ['week', 604800],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];

  function describe(date) {
    const seconds = (date.getTime() - Date.now()) / 1000;
    for (const [unit, size] of units) {
      if (Math.abs(seconds) >= size || unit === 'second') {
        return relative.format(Math.round(seconds / size), unit);
      }
    }
  }

  function render() {
    for (const element of document.querySelectorAll('time[datetime]')) {
      const date = new Date(element.getAttribute('datetime'));
      if (Number.isNaN(date.getTime())) continue;
      element.title = full.format(date);
      element.textContent =
        element.dataset.format === 'relative' ? describe(date) : full.format(date);
    }
  }

  render();
  setInterval(render, 60000);
})();
