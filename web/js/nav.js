// Navigation the screens share: going to a place, and focus on a new
// screen's heading.  The router (app.js) registers itself here; the
// screens import this module, not app.js, so no module imports one that
// imports it.
let reroute = () => {};

// The router to run when go() is asked for the place already shown.
export function onReroute(fn) {
  reroute = fn;
}

export function go(hash) {
  if (location.hash === hash) reroute(); else location.hash = hash;
}

let firstRoute = true;
export function focusHeading(root) {
  const h1 = root.querySelector('h1');
  if (!h1) return;
  h1.setAttribute('tabindex', '-1');
  if (firstRoute) { firstRoute = false; return; }
  if (!document.activeElement || document.activeElement === document.body || !root.contains(document.activeElement)) h1.focus({ preventScroll: false });
}
