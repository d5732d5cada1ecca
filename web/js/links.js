// A link between two people: its kind, how much one trusts the other's
// word (0–100 %), since when, a note, and whether the team sees it.
import { api, kinds, rememberName } from './api.js';
import { h, put, clear, announce } from './dom.js';
import { combobox } from './combobox.js';
import { field, errorLine, validate, check, submitting } from './forms.js';

// opts.person {id,name}: one end, fixed; opts.link: the link to change.
export function linkForm({ person, link = null, idPrefix = 'link', onDone, onCancel }) {
  const id = (k) => `${idPrefix}-${k}`;
  const err = errorLine();
  let otherF = null, other = null, kindF = null, kind = null;
  if (!link) {
    [otherF, other] = field(id('other'), 'Linked to', h('input', { type: 'text', placeholder: 'Start typing a name' }));
    combobox(other, { types: ['person'], onPick: (it, input) => { input.value = it.title; input.dataset.pickedId = String(it.id); } });
    [kindF, kind] = field(id('kind'), 'Kind', h('select', null, h('option', { value: 'knows' }, 'knows')), { cls: 'tight' });
    kinds().then((k) => { put(kind, ...k.link.map((x) => h('option', { value: x }, x))); });
  }
  const trustV = link && link.trust != null ? String(Math.round(link.trust * 100)) : '';
  const [trustF, trust] = field(id('trust'), 'Trust (%)', h('input', { type: 'number', min: 0, max: 100, step: 1, value: trustV, inputmode: 'numeric', placeholder: 'not set' }), { cls: 'tight' });
  const [sinceF, since] = field(id('since'), 'Since', h('input', { type: 'text', value: link ? link.since || '' : '', placeholder: 'YYYY or YYYY-MM' }), { cls: 'tight' });
  const [notesF, notes] = field(id('notes'), 'Note', h('input', { type: 'text', value: link ? link.notes || '' : '', placeholder: 'How do they know each other?' }));
  const priv = h('input', { type: 'checkbox', id: id('private'), checked: link ? !!link.private : false });
  const form = h('form', { class: 'link-form', 'aria-label': link ? 'Change the link' : 'Add a link', novalidate: true },
    h('div', { class: 'row' }, otherF, kindF),
    h('div', { class: 'row' }, trustF, sinceF, notesF),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, link ? 'Save link' : 'Add link'),
      onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null,
      h('label', { class: 'check' }, priv, 'Private (only you see it)')),
    err.el);
  if (onCancel) form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const checks = [];
    if (other) checks.push([other, check.required('The other person')],
      [other, () => (other.dataset.pickedId === String(person.id) ? 'A person cannot be linked to themselves.' : '')]);
    checks.push([trust, check.trust], [since, check.date('Since')], [notes, check.line('The note')]);
    if (!validate(err, checks)) return;
    const body = { since: since.value.trim() || null, notes: notes.value.trim() || null, private: priv.checked };
    if (trust.value.trim()) body.trust = Number(trust.value) / 100;
    else if (link) body.trust = null;
    const saved = await submitting(form, err, () => (link
      ? api(`/links/${link.id}`, { method: 'PATCH', json: body, ifMatch: link.etag })
      : api('/links', { method: 'POST', json: { ...body, a: String(person.id), b: other.dataset.pickedId || other.value.trim(), kind: kind.value } })));
    if (!saved) return;
    if (!link && other.dataset.pickedId) rememberName(Number(other.dataset.pickedId), other.value.trim());
    announce(link ? 'Link saved.' : 'Link added.', { visual: true });
    onDone && onDone(saved);
  });
  return form;
}
