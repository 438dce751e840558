// Refreshes a region marked with data-source and data-refresh-seconds by polling: the server renders it again.
document.querySelectorAll('[data-source][data-refresh-seconds]').forEach(region => {
  const seconds = Number(region.dataset.refreshSeconds);
  const refresh = async () => {
    try {
      const response = await fetch(region.dataset.source, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (response.redirected || !response.ok) {
        return;
      }
      region.innerHTML = await response.text();
    } finally {
      setTimeout(refresh, seconds * 1000);
    }
  };
  setTimeout(refresh, seconds * 1000);
});
