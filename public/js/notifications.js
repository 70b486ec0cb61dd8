// Live notifications on signed-in pages: the unread-messages badge and task progress change
// in place. A Server-Sent Events stream pushes them; where the stream is unavailable (an old
// browser, a proxy that cuts it), the page polls /notifications every 10 seconds instead.
(() => {
  let since = 0;
  let polling;

  function apply(notification) {
    if (notification.timestamp > since) since = notification.timestamp;
    if (notification.name === 'unread_message_count') {
      const badge = document.getElementById('message_count');
      if (!badge) return;
      badge.textContent = String(notification.data);
      badge.hidden = !notification.data;
    } else if (notification.name === 'task_progress') {
      const { task_id: task, progress } = notification.data;
      const shown = document.getElementById(`${task}-progress`);
      if (shown) shown.textContent = String(progress);
    }
  }

  async function poll() {
    try {
      const response = await fetch(`/notifications?since=${since}`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) return;
      for (const notification of await response.json()) apply(notification);
    } catch {
      // The next poll tries again.
    }
  }

  // Says how news arrives (for the browser tests, and anyone looking at the page).
  const mode = (how) => {
    document.documentElement.dataset.notifications = how;
  };

  function startPolling() {
    mode('polling');
    if (polling) return;
    poll();
    polling = setInterval(poll, 10_000);
  }

  if (!('EventSource' in window)) {
    startPolling();
    return;
  }
  const stream = new EventSource('/notifications/stream');
  stream.addEventListener('notification', (event) => apply(JSON.parse(event.data)));
  // EventSource reconnects by itself (sending Last-Event-ID); once it gives up, poll.
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CLOSED) startPolling();
  });
  stream.addEventListener('open', () => {
    mode('stream');
    if (!polling) return;
    clearInterval(polling);
    polling = undefined;
  });
})();
