// Pantau PHK: progressive enhancement only. Every page works without this file.
// Adds a "Salin" (copy) button beside citations.
(function () {
  "use strict";
  if (!navigator.clipboard || !document.querySelectorAll) { return; }
  var cites = document.querySelectorAll(".cite[id]");
  Array.prototype.forEach.call(cites, function (el) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Salin kutipan";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        button.textContent = "Tersalin";
      }, function () {
        button.textContent = "Gagal menyalin";
      });
    });
    el.insertAdjacentElement("afterend", button);
  });
})();
