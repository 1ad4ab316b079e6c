// Where the keyboard focus goes after an htmx swap, and the one line a screen reader hears.
//
// - A failed submit: the form's error summary ([data-error-summary]), whose links lead to the
//   invalid fields.
// - The control just used was replaced: htmx gives the focus back to the new control with the
//   same id; when there is none (a page link, a button that changed), the swapped region's
//   [data-swap-focus] element (a list's results heading), else its first heading.
// - The control just used is still there (typing a search, a filter): the focus stays, and the
//   region's [data-swap-status] line (« 40 offres ») is copied into the page's polite status
//   region (#swap-status in base.html), never a whole list.
// - The page title starts with « Erreur : » while a form shows errors.
(function () {
  "use strict";

  var ERROR_PREFIX = "Erreur : ";
  var swapped = [];
  var request = null;

  function within(elements, selector) {
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (!el.isConnected || !el.querySelector) { continue; }
      if (el.matches(selector)) { return el; }
      var inside = el.querySelector(selector);
      if (inside) { return inside; }
    }
    return null;
  }

  function focusOn(el) {
    if (!el.hasAttribute("tabindex") && !el.matches("a[href], button, input, select, textarea")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus({ preventScroll: true });
    // The element's top in view, unless it is already visible.
    var box = el.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      el.scrollIntoView({ block: "start" });
    }
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  var statusTimer = null;
  function announce(text) {
    var region = document.getElementById("swap-status");
    if (!region || !text) { return; }
    // Emptied first, so that the same line said twice (the same count) is heard twice.
    region.textContent = "";
    window.clearTimeout(statusTimer);
    statusTimer = window.setTimeout(function () { region.textContent = text; }, 100);
  }

  function updateTitle() {
    var title = document.title;
    var hasErrors = document.querySelector("[data-error-summary]") !== null;
    if (hasErrors && title.indexOf(ERROR_PREFIX) !== 0) {
      document.title = ERROR_PREFIX + title;
    } else if (!hasErrors && title.indexOf(ERROR_PREFIX) === 0) {
      document.title = title.slice(ERROR_PREFIX.length);
    }
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var config = evt.detail.requestConfig || {};
    request = { verb: (config.verb || "get").toLowerCase() };
    swapped = [];
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.target && evt.target.nodeType === 1) { swapped.push(evt.target); }
  });

  // afterSettle fires once per swapped element, one after the other: act on the first.
  document.addEventListener("htmx:afterSettle", function () {
    if (!request) { return; }
    var elements = swapped;
    var verb = request.verb;
    request = null;
    swapped = [];
    updateTitle();

    var summary = within(elements, "[data-error-summary]");
    if (summary && verb !== "get") {
      focusOn(summary);
      return;
    }
    var status = within(elements, "[data-swap-status]");
    if (focusLost()) {
      var target = within(elements, "[data-swap-focus]") ||
                   within(elements, "h1, h2, h3, h4, h5, h6");
      if (target) {
        focusOn(target);
        if (status && (target === status || target.contains(status))) { return; }
      }
    }
    if (status) { announce(status.textContent.replace(/\s+/g, " ").trim()); }
  });

  // A link of the summary: to its field, with the field's label in view.
  document.addEventListener("click", function (evt) {
    var link = evt.target.closest && evt.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    evt.preventDefault();
    var label = document.querySelector("label[for='" + CSS.escape(field.id) + "']") ||
                field.closest("fieldset, label") || field;
    label.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // A whole page that comes back with errors (a form sent without htmx): its summary first.
  function onLoad() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && (!document.activeElement || document.activeElement === document.body)) {
      focusOn(summary);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
})();
