// Loaded at the start of <body>: lets GOV.UK Frontend's CSS know that its JavaScript
// will run, before the page is painted (kept out of inline script for a strict CSP).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
