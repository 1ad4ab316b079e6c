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
  // The header's menus are <details> (they open without JavaScript). Escape closes the open one
  // and gives the focus back to its button; a click elsewhere closes it too.
  function openMenus() {
    return document.querySelectorAll(".site-header details[open]");
  }
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") { return; }
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.removeAttribute("open");
      if (hadFocus || document.activeElement === document.body) {
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (evt) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(evt.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.", "error");
  });
})();
