/* Uploading files of minutes: a progress bar while the files are sent, and what it shows said
 * in a live region (each quarter, not each percent, so a screen reader is not talking over
 * itself). When the files are received the page goes where the server sent it (the list, where
 * each file is read); when one is refused, the form comes back with the reason by the field.
 * Without JavaScript, or without XMLHttpRequest's upload events, the form posts as usual. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.FormData || !window.DOMParser || !("upload" in new XMLHttpRequest())) {
    return;
  }
  var box = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-progress-bar");
  var status = document.getElementById("upload-progress-status");
  var announced = -1;

  function say(text) {
    status.textContent = text;
  }

  function sending(event) {
    if (!event.lengthComputable || !event.total) {
      return;
    }
    var percent = Math.min(100, Math.floor((event.loaded / event.total) * 100));
    bar.value = percent;
    var quarter = Math.floor(percent / 25);
    if (quarter > announced && percent < 100) {
      announced = quarter;
      say("Sending the files: " + percent + "% sent.");
    }
  }

  function stopped(message) {
    box.hidden = true;
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
    say(message);
  }

  /* The form as the server returned it, with its messages by the fields; the same <form>
   * element stays, so this listener does too. */
  function refused(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("form[data-upload-progress]");
    if (!fresh) {
      stopped("The files were not sent: something went wrong. Try again.");
      return;
    }
    form.replaceChildren.apply(form, Array.prototype.map.call(fresh.childNodes, function (node) {
      return document.importNode(node, true);
    }));
    stopped("The files were not accepted; the reasons are given by the form.");
    var first = form.querySelector("[aria-invalid=true]") || form.querySelector(".alert, .invalid-feedback");
    if (first) {
      if (!first.matches("input, textarea, select")) {
        first.setAttribute("tabindex", "-1");
      }
      first.focus();
    }
  }

  /* More files than the server takes in one post would get a bare "Bad Request": say so by
   * the field instead, before anything is sent. */
  function tooMany() {
    var input = form.querySelector("input[type=file]");
    var most = Number(form.dataset.maxFiles);
    if (!input || !most) {
      return false;
    }
    var described = (input.getAttribute("aria-describedby") || "").replace("upload-too-many", "").trim();
    var shown = document.getElementById("upload-too-many");
    if (shown) {
      shown.remove();
      input.setAttribute("aria-describedby", described);
      input.removeAttribute("aria-invalid");
    }
    if (input.files.length <= most) {
      return false;
    }
    var message = document.createElement("p");
    message.id = "upload-too-many";
    message.className = "invalid-feedback d-block";
    message.textContent = "You chose " + input.files.length + " files; choose up to " + most +
      " at a time, and import the rest after.";
    input.insertAdjacentElement("afterend", message);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", (message.id + " " + described).trim());
    input.focus();
    say(message.textContent);
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (tooMany()) {
      return;
    }
    var url = form.action.split("#")[0];
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.addEventListener("progress", sending);
    request.upload.addEventListener("load", function () {
      bar.value = 100;
      say("All the files have been sent; checking them…");
    });
    request.addEventListener("load", function () {
      if (request.status === 200 && request.responseURL && request.responseURL !== url) {
        window.location.assign(request.responseURL);  // received: on to the list of files
      } else if (request.status === 200) {
        refused(request.responseText);
      } else {
        // In the server's own words where its page has them (a busy database says so).
        var page = new DOMParser().parseFromString(request.responseText || "", "text/html");
        var heading = page.querySelector("h1");
        stopped((heading ? heading.textContent.trim() + "." : "Not sent: the server answered " + request.status + ".") +
          " The files you chose and what you typed are still here; try again in a moment.");
      }
    });
    request.addEventListener("error", function () {
      stopped("The files were not sent: Minutebook could not be reached. Try again once you are back online.");
    });
    announced = -1;
    bar.value = 0;
    box.hidden = false;
    form.querySelectorAll("[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
    say("Sending the files…");
    request.send(new FormData(form));
  });
})();
