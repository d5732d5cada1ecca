// A job: someone at an organisation, now or from one date to another.
// The same form adds one (from a person's page or an organisation's) and
// changes one.
import { api, rememberName } from './api.js';
import { h, announce } from './dom.js';
import { combobox } from './combobox.js';
import { field, errorLine, validate, check, submitting } from './forms.js';

// "2019" .. "2019-05-02": ends before it starts, as far as both say.
function endsBeforeStart(from, to) {
  if (!from || !to) return false;
  const n = Math.min(from.length, to.length);
  return to.slice(0, n) < from.slice(0, n);
}

// opts: person {id,name} or org {id,name} fixed; job to change; onDone(job).
export function jobForm({ person = null, org = null, job = null, idPrefix = 'job', onDone, onCancel }) {
  const id = (k) => `${idPrefix}-${k}`;
  const err = errorLine();
  let whoF = null, who = null, orgF = null, orgIn = null;
  if (!person && !job) {
    [whoF, who] = field(id('person'), 'Person', h('input', { type: 'text', placeholder: 'Start typing a name' }));
    combobox(who, { types: ['person'], onPick: (it, input) => { input.value = it.title; input.dataset.pickedId = String(it.id); } });
  }
  if (!org && !job) {
    [orgF, orgIn] = field(id('org'), 'Organisation', h('input', { type: 'text', placeholder: 'Start typing; a new name adds it' }));
    combobox(orgIn, { types: ['org'], onPick: (it, input) => { input.value = it.title; input.dataset.pickedId = String(it.id); } });
  }
  const [titleF, title] = field(id('title'), 'Title', h('input', { type: 'text', value: job ? job.title || '' : '', placeholder: 'e.g. Head of sales' }));
  const [fromF, from] = field(id('from'), 'From', h('input', { type: 'text', value: job ? job.from || '' : '', placeholder: 'YYYY or YYYY-MM' }), { hint: 'YYYY, YYYY-MM or YYYY-MM-DD' });
  const [toF, to] = field(id('to'), 'To', h('input', { type: 'text', value: job ? job.to || '' : '', placeholder: 'YYYY or YYYY-MM' }));
  const current = h('input', { type: 'checkbox', id: id('current'), checked: job ? !!job.current : true });
  const sync = () => { to.disabled = current.checked; toF.classList.toggle('disabled', current.checked); if (current.checked) to.value = ''; };
  current.addEventListener('change', () => { sync(); if (!current.checked) to.focus(); });
  sync();
  const form = h('form', { class: 'job-form', 'aria-label': job ? 'Change the job' : 'Add a job', novalidate: true },
    h('div', { class: 'row' }, whoF, orgF, titleF),
    h('div', { class: 'row' }, fromF, toF,
      h('div', { class: 'field tight check-field' }, h('label', { class: 'check' }, current, 'Works there now'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, job ? 'Save job' : 'Add job'),
      onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null),
    err.el);
  if (onCancel) form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const checks = [];
    if (who) checks.push([who, check.required('Who works there')]);
    if (orgIn) checks.push([orgIn, check.name('The organisation')]);
    checks.push([title, check.line('The title')], [from, check.date('From')], [to, check.date('To')],
      [to, () => (current.checked ? '' : !to.value.trim() ? 'Say when it ended, or tick “Works there now”.' : '')],
      [to, () => (endsBeforeStart(from.value.trim(), to.value.trim()) ? 'A job cannot end before it starts.' : '')]);
    if (!validate(err, checks)) return;
    const body = { title: title.value.trim() || null, from: from.value.trim() || null, to: current.checked ? null : to.value.trim() };
    const saved = await submitting(form, err, async () => {
      if (job) return api(`/jobs/${job.id}`, { method: 'PATCH', json: body, ifMatch: job.etag });
      body.person = person ? String(person.id) : (who.dataset.pickedId || who.value.trim());
      body.org = org ? String(org.id) : (orgIn.dataset.pickedId || orgIn.value.trim());
      return api('/jobs', { method: 'POST', json: body });
    });
    if (!saved) return;
    if (saved.person && person) rememberName(saved.person, person.name);
    announce(job ? 'Job saved.' : `Added the job at ${saved.org_name || (org && org.name) || 'the organisation'}.`, { visual: true });
    onDone && onDone(saved);
  });
  return form;
}
