// The intranet's own script: what htmx does not do by itself. No inline script anywhere (CSP).
(function () {
  "use strict";

  function showMessage(text, category) {
    var box = document.getElementById("flash");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "flash flash-" + (category || "error");
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }

  // An htmx request that failed (403, 404, 409, 429, 500…): say so instead of doing nothing.
  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    var text = (xhr && xhr.responseText && xhr.getResponseHeader("Content-Type") &&
                xhr.getResponseHeader("Content-Type").indexOf("text/plain") === 0)
      ? xhr.responseText
      : "Une erreur est survenue (" + (xhr ? xhr.status : "?") + "). Rechargez la page.";
    showMessage(text, "error");
  });
  // Enter in a picker's search field refines the list; it must not send the whole form.
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter" && evt.target.classList &&
        evt.target.classList.contains("picker-search")) {
      evt.preventDefault();
    }
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.", "error");
  });
})();
