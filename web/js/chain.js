// What the team screens share: a chain of introductions written out with
// each link's strength, and asking a teammate (the chain's first hop) for
// an introduction (POST /intro/requests).
import { api, rememberName } from './api.js';
import { h, put, announce, pct, newId, dateLabel } from './dom.js';
import { errorLine, submitting, validate, check } from './forms.js';

// A chain as an ordered list: each person a link to their page, each
// link's strength between them (edges[i] joins people[i] and people[i+1];
// missing edges are left out).
export function chainList(people, edges, attrs = {}) {
  const items = [];
  (people || []).forEach((p, i) => {
    rememberName(p.id, p.name);
    if (i) {
      const st = edges ? edges[i - 1] : null;
      items.push(h('li', { class: 'hop' },
        st == null ? null : [h('span', { class: 'sr-only' }, 'link strength '), h('span', { class: 'hop-strength' }, pct(st))],
        h('span', { class: 'hop-arrow', 'aria-hidden': 'true' }, '→'), h('span', { class: 'sr-only' }, ' to ')));
    }
    items.push(h('li', { class: 'hop-person' }, h('a', { href: `#/person/${p.id}` }, p.name || 'someone')));
  });
  return h('ol', { class: 'chain', 'aria-label': 'Chain of introductions', ...attrs }, items);
}

// "1 link", "2 links".
export const links = (n) => `${n} link${n === 1 ? '' : 's'}`;

// The strength of a whole chain as a small badge.
export const strengthBadge = (x) => h('span', { class: 'badge strength-badge', title: 'strength of the whole chain (the product of its links)' }, pct(x));

// "Ask MEMBER for an introduction to TARGET": a button that opens a note
// form in place; sent, it says so and where to follow it.  member is
// {id, name}, target {id, name}; hops bounds the chain the server picks
// (the strongest from the member's person, as shown).
export function askAction({ member, target, hops, onAsked } = {}) {
  const box = h('div', { class: 'ask', dataset: { member: String(member.id), to: String(target.id) } });
  const open = h('button', { type: 'button', class: 'secondary ask-open', 'aria-expanded': 'false' },
    `Ask ${member.name} for an introduction`);
  const showButton = () => { put(box, open); open.setAttribute('aria-expanded', 'false'); };
  open.addEventListener('click', () => {
    const id = newId('ask-note');
    const note = h('textarea', { id, class: 'ask-note', rows: 2,
      placeholder: `Why you would like to meet ${target.name}` });
    const err = errorLine();
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const form = h('form', { class: 'ask-form', 'aria-label': `Ask ${member.name} to introduce you to ${target.name}`, novalidate: true },
      h('div', { class: 'field' }, h('label', { for: id }, `A note to ${member.name}`), note),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Send the request'), cancel), err.el);
    cancel.addEventListener('click', () => { showButton(); open.focus(); });
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); showButton(); open.focus(); } });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!validate(err, [[note, check.note('The note')]])) return;
      const body = { to: String(target.id), member: String(member.id), note: note.value.trim() || undefined };
      if (hops) body.hops = Number(hops);
      const r = await submitting(form, err, () => api('/intro/requests', { method: 'POST', json: body }));
      if (!r) return;
      announce(`Asked ${member.name} to introduce you to ${target.name}.`, { visual: true });
      const done = h('p', { class: 'ok ask-done', tabindex: '-1', dataset: { request: String(r.id) } },
        `Asked ${member.name} on ${dateLabel(r.asked_at)}. `, h('a', { href: '#/intros' }, 'Follow it under Introductions'), '.');
      put(box, done);
      done.focus();
      if (onAsked) onAsked(r);
    });
    put(box, form);
    open.setAttribute('aria-expanded', 'true');
    note.focus();
  });
  showButton();
  return box;
}
