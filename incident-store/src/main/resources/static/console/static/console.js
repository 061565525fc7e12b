// Keeps the incident list live: every 1.5 s its rows are fetched again with the page's
// filters and replace the ones shown. Without script the page is the same, reloaded by hand.
(function () {
  'use strict';
  var rows = document.getElementById('rows');
  if (!rows || !window.fetch) {
    return;
  }
  var url = rows.baseURI.replace(/\/incidents(\?|$)/, '/incidents/rows$1');
  function refresh() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html', 'X-Requested-With': 'XMLHttpRequest' }, redirect: 'error' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('rows');
        if (fresh) {
          rows.replaceWith(fresh);
          rows = fresh;
        }
        window.setTimeout(refresh, 1500);
      })
      .catch(function () {
        // Signed out or the service is away: stop, the page says what it last knew.
        rows.setAttribute('data-live', 'stopped');
      });
  }
  window.setTimeout(refresh, 1500);
})();
