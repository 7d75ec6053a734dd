/* When an htmx request fails, htmx swaps nothing: what was typed stays in its form, but
 * nothing says it was not saved. Say so beside the form that sent it, announced: in the
 * server's own words when it sends a short plain-text reason (a busy database, config/busy.py),
 * in general words for any other failure. A later success clears it. */
(function () {
  "use strict";

  var GENERAL = "Not saved: something went wrong. What you typed is still here; try again, " +
    "and if it fails again, copy it somewhere safe.";
  var OFFLINE = "Not saved: Minutebook could not be reached. What you typed is still here; " +
    "try again once you are back online.";

  function anchor(element) {
    return element.closest("form, fieldset") || element;
  }

  function note(element) {
    var next = anchor(element).nextElementSibling;
    return next && next.classList.contains("htmx-error") ? next : null;
  }

  function show(element, message) {
    var existing = note(element);
    if (existing) {
      existing.textContent = message;
      return;
    }
    var alert = document.createElement("p");
    alert.className = "alert alert-danger htmx-error mt-2";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    anchor(element).insertAdjacentElement("afterend", alert);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var plain = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
    show(event.detail.elt, plain && xhr.responseText ? xhr.responseText : GENERAL);
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, OFFLINE);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var existing = event.detail.successful && note(event.detail.elt);
    if (existing) existing.remove();
  });
})();
