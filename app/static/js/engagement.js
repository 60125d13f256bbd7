// The like button answers at once: the form is sent with fetch() and the page shows the new state
// before the server replies, then the server's answer (or the old state again, with the reason, if
// it refuses). Without JavaScript the same form posts and the page reloads.
(function () {
  "use strict";

  var format = (function () {
    try {
      var nf = new Intl.NumberFormat(document.documentElement.lang || undefined);
      return function (n) { return nf.format(n); };
    } catch (e) {
      return function (n) { return String(n); };
    }
  })();

  function showCount(count) {
    // Every like count on the page: the button's and the one in the page header.
    document.querySelectorAll("[data-like-count]").forEach(function (el) {
      el.dataset.likeCount = String(count);
      el.textContent = format(count);
    });
  }

  function enhance(form) {
    var button = form.querySelector("button[type=submit]");
    var status = document.querySelector("[data-like-status]");
    var busy = false;

    function showState(liked, count) {
      button.setAttribute("aria-pressed", liked ? "true" : "false");
      button.classList.toggle("btn-danger", liked);
      button.classList.toggle("btn-outline-danger", !liked);
      // Without script the form must post to the right address too.
      form.action = liked ? form.dataset.unlikeUrl : form.dataset.likeUrl;
      showCount(count);
    }

    function say(text) {
      if (status) { status.textContent = text || ""; }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      var wasLiked = button.getAttribute("aria-pressed") === "true";
      var countEl = form.querySelector("[data-like-count]");
      var before = parseInt(countEl && countEl.dataset.likeCount, 10) || 0;
      var url = wasLiked ? form.dataset.unlikeUrl : form.dataset.likeUrl;
      showState(!wasLiked, Math.max(0, before + (wasLiked ? -1 : 1)));
      say("");

      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.ok && data && typeof data.liked === "boolean") {
            showState(data.liked, data.like_count);
            say(data.liked ? form.dataset.msgLiked : form.dataset.msgUnliked);
          } else {
            showState(wasLiked, before);
            say((data && data.error && data.error.message) || form.dataset.msgError);
          }
        });
      }).catch(function () {
        showState(wasLiked, before);
        say(form.dataset.msgError);
      }).then(function () {
        busy = false;
      });
    });
  }

  document.querySelectorAll("form[data-like-form]").forEach(enhance);
})();
