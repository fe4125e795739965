// The rich tier's whole script, inline and optional: pages work without it. It counts the
// characters left in a post and stops a form from being sent twice by a double tap.
export const RICH_JS =
  '(function(){' +
  'document.querySelectorAll("textarea[maxlength]").forEach(function(t){' +
  'var o=document.createElement("small");o.className="count";o.setAttribute("aria-live","polite");' +
  't.insertAdjacentElement("afterend",o);' +
  'function u(){o.textContent=(t.maxLength-t.value.length)+" characters left"}' +
  't.addEventListener("input",u);u()});' +
  'document.querySelectorAll("form").forEach(function(f){f.addEventListener("submit",function(){' +
  'var b=f.querySelector("button[type=submit]");if(b)setTimeout(function(){b.disabled=true},0)})})' +
  '})();';
