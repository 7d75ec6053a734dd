/* The list of imported files, while some are still being read: every two seconds the page is
 * fetched again and each file's row whose state changed (waiting, being read, ready, failed) is
 * replaced, so focus and scroll stay where they are; the status line above the table is a live
 * region and says when all have been read. Without JavaScript its "Check again" link does this. */
(function () {
  "use strict";

  var status = document.getElementById("import-progress");
  if (!status || !window.fetch || !window.DOMParser) {
    return;
  }
  var EVERY = 2000;
  var AFTER_A_FAILURE = 10000;

  function update(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    fresh.querySelectorAll("tr[data-upload]").forEach(function (row) {
      var shown = document.querySelector('tr[data-upload="' + row.dataset.upload + '"]');
      if (shown && shown.dataset.status !== row.dataset.status) {
        shown.replaceWith(document.importNode(row, true));
      }
    });
    var said = fresh.getElementById("import-progress");
    if (said) {
      status.dataset.pending = said.dataset.pending;
      if (said.textContent !== status.textContent) {
        status.replaceChildren.apply(status, Array.prototype.map.call(said.childNodes, function (node) {
          return document.importNode(node, true);
        }));
      }
    }
  }

  function check() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        update(html);
        schedule(EVERY);
      })
      .catch(function () {
        schedule(AFTER_A_FAILURE);  // offline or a busy server: try again, less often
      });
  }

  function schedule(delay) {
    if (Number(status.dataset.pending) > 0) {
      window.setTimeout(check, delay);
    }
  }

  schedule(EVERY);
})();
