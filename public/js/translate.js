// "Translate" links on posts: the translation replaces the link, or a message saying why
// not. POST /translate is checked against CSRF like every form: the token is in a <meta>.
(() => {
  const token = document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  document.addEventListener('click', async (event) => {
    const link = event.target.closest?.('a[data-translate]');
    if (!link) return;
    event.preventDefault();
    const place = link.parentElement;
    const { translate: postId, to, working, failed } = link.dataset;
    place.textContent = working;
    try {
      const response = await fetch('/translate', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-csrf-token': token,
        },
        body: JSON.stringify({ post_id: postId, dest_language: to }),
      });
      const answer = await response.json();
      // An error answers `{code, message, description}`, its description in the page's words.
      place.textContent = response.ok ? answer.text : (answer.description ?? failed);
    } catch {
      place.textContent = failed;
    }
    place.setAttribute('aria-live', 'polite');
  });
})();
