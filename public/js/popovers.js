// User popovers, as in the Flask Microblog: hovering a username (half a second) or focusing
// it with the keyboard shows the user's card, loaded once from /user/<name>/popup. The card
// follows its link in the page, so Tab reaches its follow button; Escape closes it.
(() => {
  if (!window.bootstrap) return;
  const cards = new Map();
  let shown;
  let hoverTimer;
  let hideTimer;

  async function card(link) {
    const url = `${new URL(link.href).pathname}/popup`;
    if (!cards.has(url)) {
      cards.set(
        url,
        fetch(url, { headers: { accept: 'text/html' } }).then(async (response) => {
          if (!response.ok) throw new Error(`${response.status}`);
          const box = document.createElement('div');
          // Our own server's HTML, escaped when it was rendered.
          box.innerHTML = await response.text();
          return box.firstElementChild;
        }),
      );
    }
    return cards.get(url);
  }

  async function show(link) {
    clearTimeout(hideTimer);
    if (shown && shown !== link) hide();
    let content;
    try {
      content = await card(link);
    } catch {
      return;
    }
    const popover = window.bootstrap.Popover.getOrCreateInstance(link, {
      content,
      html: true,
      sanitize: false,
      trigger: 'manual',
      placement: 'auto',
      container: link.parentElement,
    });
    popover.show();
    shown = link;
  }

  function hide() {
    if (!shown) return;
    window.bootstrap.Popover.getInstance(shown)?.hide();
    shown = undefined;
  }

  const popoverOf = (element) => element?.closest?.('.popover');
  const linkOf = (element) => element?.closest?.('a.user_popup');

  document.addEventListener('mouseover', (event) => {
    const link = linkOf(event.target);
    if (link) {
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(() => show(link), 500);
    } else if (popoverOf(event.target)) clearTimeout(hideTimer);
  });
  document.addEventListener('mouseout', (event) => {
    if (linkOf(event.target)) clearTimeout(hoverTimer);
    if (linkOf(event.target) || popoverOf(event.target)) {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 300);
    }
  });
  document.addEventListener('focusin', (event) => {
    const link = linkOf(event.target);
    if (link) show(link);
    else if (!popoverOf(event.target)) hide();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !shown) return;
    const link = shown;
    hide();
    link.focus({ preventScroll: true });
  });
})();
