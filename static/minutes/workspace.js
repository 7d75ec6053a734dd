/* The take-minutes page with htmx: each form swaps its item's section, and nothing typed
 * in the section's other forms may be lost by that. Without JavaScript none of this runs:
 * each form posts on its own and the page comes back. */
(function () {
  "use strict";

  var FIELDS = "textarea, select, input:not([type=submit]):not([type=button])";

  function isChanged(field) {
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    return field.type !== "hidden" && field.value !== field.defaultValue;
  }

  function changedForms(root, except) {
    return Array.prototype.filter.call(root.querySelectorAll("form"), function (form) {
      return form !== except && Array.prototype.some.call(form.querySelectorAll(FIELDS), isChanged);
    });
  }

  /* Every value of each form with unsaved changes, hidden ones too: a minute's text keeps
   * the revision it was typed against, so a later save still notices a conflict. */
  function snapshot(forms) {
    var values = [];
    forms.forEach(function (form) {
      form.querySelectorAll(FIELDS).forEach(function (field) {
        if (field.name && field.name !== "csrfmiddlewaretoken") {
          values.push([field.name, field.value]);
        }
      });
    });
    return values;
  }

  /* A button, told apart from the others in its item by where it posts. */
  function buttonKey(button) {
    return [button.form ? button.form.getAttribute("action") : "", button.getAttribute("formaction") || "",
      button.name, button.value].join(" ");
  }

  /* The swap replaces the focused button with the item; without this, focus falls to the
   * top of the page and a keyboard user loses their place. Focus the same button in the new
   * section; if it is now in a closed <details>, that one's summary; if it has gone (a
   * deleted row), the item's heading. */
  function refocus(section, key) {
    var control = Array.prototype.find.call(section.querySelectorAll("button"), function (button) {
      return buttonKey(button) === key;
    });
    var closed = control ? control.closest("details:not([open])") : null;
    if (closed) control = closed.querySelector("summary");
    if (!control) {
      control = section.querySelector("h2");
      control.setAttribute("tabindex", "-1");
    }
    control.focus();
  }

  var kept = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var submitted = source ? source.closest("form") : null;
    var focused = document.activeElement;
    kept = target && target.id ? {
      id: target.id,
      values: snapshot(changedForms(target, submitted)),
      focus: focused && focused.tagName === "BUTTON" && target.contains(focused) ? buttonKey(focused) : null
    } : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!kept) return;
    var section = document.getElementById(kept.id);
    if (section) {
      kept.values.forEach(function (pair) {
        var field = section.querySelector('[name="' + CSS.escape(pair[0]) + '"]');
        if (field) {
          field.value = pair[1];
          var details = field.closest("details");
          if (details) details.open = true;
        }
      });
      if (kept.focus !== null && !section.contains(document.activeElement)) refocus(section, kept.focus);
    }
    kept = null;
  });

  /* Leaving the page with unsaved text: ask first. Posting the only changed form the
   * ordinary way (the forms htmx does not handle) is fine. */
  var leaving = false;
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("hx-post")) {
      leaving = changedForms(document, event.target).length === 0;
    }
  }, true);
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && changedForms(document, null).length) {
      event.preventDefault();
      event.returnValue = "";
    }
    leaving = false;
  });
})();
