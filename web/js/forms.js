// What every form shares: labelled fields, one error shown in place,
// a confirmation dialog, and the checks the server makes (base/validate.c,
// record/*.c) made before a request, so most mistakes are told at once and
// in the same words.  The server still checks everything: its answer, when
// it refuses, goes to the same one error line.
import { h, clear, newId, errorText } from './dom.js';

const NAME_MAX = 500, LINE_MAX = 1000, NOTE_MAX = 100000, LIST_MAX = 1000;

// A labelled control: returns [wrapper, control].
export function field(id, label, control, { hint, cls } = {}) {
  control.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', `${id}-hint`);
  return [h('div', { class: ['field', cls] }, h('label', { for: id }, label), control, hintEl), control];
}

export const input = (attrs = {}) => h('input', { type: 'text', ...attrs });

// The one error line of a form.  show(msg, control) marks the control
// invalid and focuses it; clear() resets both.
export function errorLine() {
  const el = h('p', { class: 'error form-error', role: 'alert', id: newId('err') });
  let marked = null;
  return {
    el,
    show(msg, control) {
      el.textContent = msg;
      if (marked) marked.removeAttribute('aria-invalid');
      marked = control || null;
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-errormessage', el.id);
        control.focus();
      }
    },
    clear() {
      el.textContent = '';
      if (marked) marked.removeAttribute('aria-invalid');
      marked = null;
    },
  };
}

// Runs the checks [[control, fn]] in order: fn(value) returns an error
// message or ''.  Shows the first failure; returns whether all passed.
export function validate(err, checks) {
  err.clear();
  for (const [control, fn] of checks) {
    const msg = fn(control.value, control);
    if (msg) { err.show(msg, control); return false; }
  }
  return true;
}

// Sends a form's request: disables the submit button meanwhile and puts
// the server's refusal on the error line.  Returns the answer or null.
export async function submitting(form, err, fn) {
  const btns = form.querySelectorAll('button[type=submit]');
  btns.forEach((b) => { b.disabled = true; });
  err.clear();
  try {
    return await fn();
  } catch (e) {
    err.show(serverMessage(e));
    return null;
  } finally {
    btns.forEach((b) => { b.disabled = false; });
  }
}

// The server's one-line reason, with a word on the races it reports.
export function serverMessage(e) {
  if (e && e.status === 412) return 'Someone changed this since you opened it: reload to see their change, then try again.';
  if (e && e.status === 404 && e.code === 'not_found') return `${errorText(e)} (it may have been removed meanwhile).`;
  return errorText(e);
}

// ---- the server's rules ------------------------------------------------

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_NOTE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const bytes = (s) => new TextEncoder().encode(s).length;

export const split = (s) => String(s || '').split(',').map((x) => x.trim()).filter(Boolean);

export const check = {
  required: (what) => (v) => (String(v).trim() ? '' : `${what} is needed.`),
  name: (what = 'A name') => (v) => {
    const t = String(v).trim();
    if (!t) return `${what} is needed.`;
    if (bytes(t) > NAME_MAX) return `${what} is too long (at most ${NAME_MAX} bytes).`;
    if (CONTROL.test(t)) return `${what} has a control character.`;
    return '';
  },
  line: (what) => (v) => {
    const t = String(v).trim();
    if (bytes(t) > LINE_MAX) return `${what} is too long (at most ${LINE_MAX} bytes).`;
    if (CONTROL.test(t)) return `${what} has a control character.`;
    return '';
  },
  note: (what) => (v) => {
    if (bytes(String(v)) > NOTE_MAX) return `${what} is too long (at most ${NOTE_MAX} bytes).`;
    if (CONTROL_NOTE.test(v)) return `${what} has a control character.`;
    return '';
  },
  emails: (v) => {
    const list = split(v);
    if (list.length > LIST_MAX) return `Too many emails (at most ${LIST_MAX}).`;
    for (const e of list) if (!emailOk(e)) return `'${e}' is not a valid email address.`;
    return '';
  },
  phones: (v) => {
    for (const p of split(v)) {
      if (!/^\s*\+?[0-9 .\-()/]*$/.test(p)) return `'${p}' is not a phone number (digits, spaces, + . - ( ) only).`;
      const n = (p.match(/[0-9]/g) || []).length;
      if (n < 4 || n > 20) return `'${p}' is not a phone number (4 to 20 digits).`;
    }
    return '';
  },
  tags: (v) => {
    for (const t of split(v))
      if (bytes(t) > 64 || !/^[\p{L}\p{N}\-_.+#/:&\u0080-\uffff]+$/u.test(t)) return `'${t}' is not a tag (one word of up to 64 letters, digits or -_.+#/:&).`;
    return '';
  },
  date: (what) => (v) => {
    const t = String(v).trim();
    if (!t) return '';
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(t);
    if (!m) return `${what}: '${t}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD).`;
    const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1];
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1 || mo < 1 || mo > 12 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return `${what}: '${t}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD).`;
    return '';
  },
  domain: (v) => {
    const t = String(v).trim();
    if (!t) return '';
    const labels = t.split('.');
    const ok = labels.length >= 2 && labels.every((l) => l.length && l.length <= 63 && !l.startsWith('-') && !l.endsWith('-') && /^[\p{L}\p{N}-]+$/u.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
    return ok ? '' : `'${t}' is not a domain name.`;
  },
  trust: (v) => {
    const t = String(v).trim();
    if (!t) return '';
    const x = Number(t);
    return Number.isFinite(x) && x >= 0 && x <= 100 ? '' : 'Trust must be between 0 and 100%.';
  },
  favourValue: (v) => {
    const t = String(v).trim();
    if (!t) return '';
    const x = Number(t);
    return Number.isFinite(x) && x > 0 && x <= 1000000 ? '' : "A favour's value must be positive (at most 1,000,000).";
  },
};

function emailOk(s) {
  const at = s.indexOf('@');
  if (s.length > 254 || at <= 0 || s.indexOf('@', at + 1) >= 0 || at > 64) return false;
  const local = s.slice(0, at), dom = s.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || s.includes('..')) return false;
  if (!/^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u.test(local)) return false;
  return check.domain(dom) === '';
}

// ---- a confirmation ------------------------------------------------------

// Asks before something that cannot be undone.  Resolves true when
// confirmed.  A modal <dialog>: focus moves in, Escape cancels, and focus
// returns where it was.
export function confirmDialog(message, { confirm = 'Delete', detail } = {}) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const titleId = newId('dlg');
    const yes = h('button', { type: 'button', class: 'danger', id: 'confirm-yes' }, confirm);
    const no = h('button', { type: 'button', class: 'secondary', id: 'confirm-no' }, 'Cancel');
    const dlg = h('dialog', { class: 'confirm', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, message),
      detail ? h('p', null, detail) : null,
      h('div', { class: 'actions' }, yes, no));
    let answered = false;
    const done = (v) => {
      if (answered) return;
      answered = true;
      dlg.close();
      dlg.remove();
      if (back && back.isConnected) back.focus();
      resolve(v);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    no.focus();
  });
}

// A panel that shows a form in place of something and puts it back.
export function swap(box, content) {
  clear(box).append(content);
  const first = box.querySelector('input:not([type=hidden]), select, textarea');
  if (first) setTimeout(() => first.focus(), 0);
}
