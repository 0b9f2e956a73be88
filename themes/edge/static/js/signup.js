/* The signup form without a page reload.  Fills the hidden referrer from
 * document.referrer and the utm_* parameters, sends the form with fetch
 * asking for JSON, and shows a refusal next to the email field (where
 * hone-fcgi puts it too when it answers a plain post with the page).
 * Without this script (or when fetch fails) the form posts as a plain
 * HTML form, and everything still works. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-hone-signup]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var ref = form.elements.referrer;
  if (ref && !ref.value) {
    var utm = [];
    new URLSearchParams(location.search).forEach(function (v, k) {
      if (k.indexOf("utm_") === 0) utm.push(k + "=" + v);
    });
    ref.value = (document.referrer + (utm.length ? " " + utm.join("&") : "")).trim().slice(0, 1000);
  }
  var email = form.elements.email;
  function show(message) {
    var el = document.getElementById("signup-error");
    if (!el) {
      el = document.createElement("p");
      el.id = "signup-error";
      el.className = "signup-error";
      el.setAttribute("role", "alert");
      var row = email && email.closest(".signup-row");
      var after = row || email;
      if (after && after.parentNode === form) form.insertBefore(el, after.nextSibling);
      else form.insertBefore(el, form.firstChild);
    }
    el.textContent = message;
    if (email) {
      email.setAttribute("aria-invalid", "true");
      var by = (email.getAttribute("aria-describedby") || "").split(" ");
      if (by.indexOf("signup-error") < 0) email.setAttribute("aria-describedby", ("signup-error " + by.join(" ")).trim());
      email.focus();
    }
  }
  /* a page shown again by the server after a refusal: mark the field */
  if (document.getElementById("signup-error") && email) {
    email.setAttribute("aria-invalid", "true");
    email.setAttribute("aria-describedby", ("signup-error " + (email.getAttribute("aria-describedby") || "")).trim());
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (r) {
      return r.json();
    }).then(function (answer) {
      if (answer.ok) location.assign(answer.next);
      else show(answer.message);
    }).catch(function () {
      form.submit(); /* let the server answer with a page */
    }).then(function () {
      if (button) button.disabled = false;
    });
  });
})();
