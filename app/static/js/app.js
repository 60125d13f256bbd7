// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  // A live countdown to the closing time in data-countdown (ISO 8601 with offset).
  function startCountdown(el) {
    var end = Date.parse(el.dataset.countdown);
    if (isNaN(end)) { return; }
    function tick() {
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      if (left === 0) { el.textContent = el.dataset.labelClosed; return; }
      var days = Math.floor(left / 86400);
      var rest = left % 86400;
      var text = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor((rest % 3600) / 60)) + ":" + pad(rest % 60);
      if (days > 0) {
        // The labels carry the translated "%(num)s day(s)" with the number in place of %(num)s.
        var label = days === 1 ? el.dataset.labelDay : el.dataset.labelDays;
        text = label.replace(/\d+/, String(days)) + " " + text;
      }
      el.textContent = el.dataset.labelLeft.replace("{time}", text);
      setTimeout(tick, 1000);
    }
    tick();
  }

  document.querySelectorAll("[data-countdown]").forEach(startCountdown);

  // Share buttons: the phone's share sheet (Zalo is in it) when there is one, else copy the link.
  document.querySelectorAll(".share").forEach(function (box) {
    var url = box.dataset.shareUrl;
    var status = box.querySelector(".share-status");
    function copied(button) {
      if (status) { status.textContent = button.dataset.done; }
    }
    function copy(button) {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { copied(button); }, function () {
          window.prompt("", url);
        });
      } else {
        window.prompt("", url);
      }
    }
    box.querySelectorAll("[data-share]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (button.dataset.share === "native" && navigator.share) {
          navigator.share({ title: box.dataset.shareTitle, url: url }).catch(function () {});
        } else {
          copy(button);
        }
      });
    });
  });
})();
