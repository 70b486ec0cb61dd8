// Progressive enhancement: rewrites <time datetime="…Z"> in the reader's time zone
// and, for recent posts, relative form ("3 minutes ago"). Without it, UTC stays.
(() => {
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
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
