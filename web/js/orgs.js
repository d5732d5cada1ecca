// Organisations: the list (#/orgs), adding one, and an organisation's
// page (#/org/ID): its details, who works there now and who did, who in
// the team knows them, and the team's ways in (ways.js).
import { api, rememberName } from './api.js';
import { h, put, clear, announce, loading, errorBox, plural, pct, meter } from './dom.js';
import { focusHeading, go } from './nav.js';
import { field, errorLine, validate, check, submitting, confirmDialog, serverMessage, swap } from './forms.js';
import { jobForm } from './jobs.js';
import { waysPanel } from './ways.js';

const PAGE = 50;

export function orgForm({ org = {}, idPrefix = 'no', submitLabel = 'Add organisation', onSubmit, onCancel }) {
  const id = (k) => `${idPrefix}-${k}`;
  const f = (k, label, value, opts = {}) => field(id(k), label, opts.area ? h('textarea', { value: value || '' }) : h('input', { type: 'text', value: value || '' }), { hint: opts.hint });
  const [nameF, name] = f('name', 'Name', org.name);
  const [domainF, domain] = f('domain', 'Web domain', org.domain, { hint: 'e.g. example.org' });
  const [cityF, city] = f('city', 'City', org.city);
  const [countryF, country] = f('country', 'Country', org.country);
  const [notesF, notes] = f('notes', 'Notes', org.notes, { area: true });
  const priv = h('input', { type: 'checkbox', id: id('private'), checked: !!org.private });
  const err = errorLine();
  const form = h('form', { 'aria-label': submitLabel, novalidate: true },
    h('div', { class: 'row' }, nameF, domainF), h('div', { class: 'row' }, cityF, countryF), h('div', { class: 'row' }, notesF),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel),
      onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null,
      h('label', { class: 'check' }, priv, 'Private (only you see it)')),
    err.el);
  if (onCancel) form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!validate(err, [[name, check.name('A name')], [domain, check.domain], [city, check.line('The city')],
      [country, check.line('The country')], [notes, check.note('The notes')]])) return;
    const body = { name: name.value.trim(), domain: domain.value.trim() || null, city: city.value.trim() || null,
      country: country.value.trim() || null, notes: notes.value.trim() || null, private: priv.checked };
    await submitting(form, err, () => onSubmit(body));
  });
  return { form, name, err };
}

export async function orgsScreen(ctx) {
  const { root, params } = ctx;
  ctx.setTitle('Organisations');
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const q = params.get('q') || '';
  const sort = params.get('sort') || '';
  const addBox = h('div', { id: 'org-add' });
  const addBtn = h('button', { type: 'button', id: 'add-org' }, '+ Add an organisation');
  addBtn.addEventListener('click', () => {
    addBtn.hidden = true;
    const { form } = orgForm({
      onSubmit: async (body) => {
        const o = await api('/orgs', { method: 'POST', json: body });
        announce(`Added ${o.name}.`, { visual: true });
        go(`#/org/${o.id}`);
        return o;
      },
      onCancel: () => { clear(addBox); addBtn.hidden = false; addBtn.focus(); },
    });
    swap(addBox, h('div', { class: 'panel' }, h('h2', null, 'New organisation'), form));
  });
  const box = h('input', { id: 'of-q', type: 'search', value: q, placeholder: 'Name' });
  const sortSel = h('select', { id: 'of-sort' }, [['', 'name'], ['people', 'most people'], ['created', 'newest']].map(([v, l]) => h('option', { value: v, selected: sort === v }, l)));
  const form = h('form', { class: 'filters', 'aria-label': 'Find an organisation' },
    h('div', { class: 'row' }, h('div', { class: 'field grow' }, h('label', { for: 'of-q' }, 'Name'), box),
      h('div', { class: 'field tight' }, h('label', { for: 'of-sort' }, 'Sort by'), sortSel)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Find'), addBtn));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const u = new URLSearchParams();
    if (box.value.trim()) u.set('q', box.value.trim());
    if (sortSel.value) u.set('sort', sortSel.value);
    go(`#/orgs${u.toString() ? `?${u}` : ''}`);
  });
  const out = h('div', { id: 'orgs-out', 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  root.append(h('div', { class: 'screen-head' }, h('h1', null, 'Organisations'), h('p', null, 'Where the people you know work, and worked.')),
    h('section', { class: 'panel' }, form), addBox, h('section', { class: 'panel', 'aria-labelledby': 'orgs-count' }, out));
  focusHeading(root);
  try {
    const params2 = { limit: PAGE, offset, q: q || undefined, sort: sort || undefined, order: sort ? 'desc' : undefined };
    const data = await api('/orgs', { params: params2 });
    if (!ctx.alive()) return;
    let items = data.items || [];
    // A server without the name filter answers every organisation.
    if (q) items = items.filter((o) => o.name.toLowerCase().includes(q.toLowerCase()));
    const total = data.total ?? items.length;
    put(out, h('h2', { id: 'orgs-count' }, total ? plural(total, 'organisation') : 'None yet'));
    if (!items.length) {
      out.append(q ? h('p', { class: 'empty' }, `No organisation called “${q}”.`)
        : h('div', { class: 'empty-state' }, h('p', null, 'No organisations yet. Add the places the people you know work at: kith then shows who knows whom there.')));
    } else {
      out.append(h('ul', { class: 'list', id: 'orgs-list' }, items.map((o) => h('li', null,
        h('div', { class: 'main' }, h('a', { class: 'name', href: `#/org/${o.id}` }, o.name),
          o.private ? [' ', h('span', { class: 'badge private' }, 'private')] : null,
          h('div', { class: 'meta' }, [o.domain, [o.city, o.country].filter(Boolean).join(', ')].filter(Boolean).join(' · '))),
        o.people !== undefined ? h('div', { class: 'side' }, plural(o.people, 'person', 'people')) : null))));
      const last = offset + items.length;
      const u = (off) => { const x = new URLSearchParams(); if (q) x.set('q', q); if (sort) x.set('sort', sort); if (off) x.set('offset', String(off)); return `#/orgs${x.toString() ? `?${x}` : ''}`; };
      out.append(h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('span', { class: 'small muted' }, `${offset + 1}–${last}${data.total !== undefined ? ` of ${data.total}` : ''}`),
        offset > 0 ? h('a', { class: 'button secondary', href: u(Math.max(0, offset - PAGE)) }, '← Previous') : null,
        (data.total !== undefined ? last < data.total : items.length === PAGE) ? h('a', { class: 'button secondary', href: u(offset + PAGE) }, 'Next →') : null));
    }
  } catch (e) { if (ctx.alive()) put(out, errorBox(e)); }
  out.setAttribute('aria-busy', 'false');
}

function peopleList(id, rows, empty, { former = false } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('ul', { class: 'list', id }, rows.map((r) => {
    const p = r.person || {};
    const j = r.job || {};
    rememberName(p.id, p.name);
    const span = [j.from || '?', former ? (j.to || '?') : 'now'].join('–');
    return h('li', null, h('div', { class: 'main' }, h('a', { class: 'name', href: `#/person/${p.id}` }, p.name),
      h('div', { class: 'meta' }, [j.title, span].filter(Boolean).join(' · '))));
  }));
}

export async function orgScreen(ctx, id) {
  const { root } = ctx;
  root.append(loading());
  let o;
  try { o = await api(`/orgs/${id}`); } catch (e) {
    if (!ctx.alive()) return;
    put(root, h('h1', null, 'Organisation'), errorBox(e));
    focusHeading(root);
    return;
  }
  if (!ctx.alive()) return;
  ctx.setTitle(o.name);
  const title = h('h1', { id: 'org-name' }, o.name);
  const details = h('div', { id: 'org-details' });
  const editBtn = h('button', { type: 'button', class: 'secondary', id: 'edit-org' }, 'Edit');
  const delBtn = h('button', { type: 'button', class: 'secondary danger-text', id: 'delete-org' }, 'Delete');
  const delErr = errorLine();
  const showDetails = () => {
    const rows = [];
    const add = (k, v) => { if (v) rows.push(h('dt', null, k), h('dd', null, v)); };
    add('Web', o.domain ? h('a', { href: `https://${o.domain}/`, rel: 'noopener noreferrer' }, o.domain) : null);
    add('Place', [o.city, o.country].filter(Boolean).join(', '));
    add('Notes', o.notes);
    put(details, rows.length ? h('dl', { class: 'details' }, rows) : h('p', { class: 'empty' }, 'No details yet.'));
    editBtn.hidden = false;
  };
  editBtn.addEventListener('click', () => {
    editBtn.hidden = true;
    const { form } = orgForm({
      org: o, idPrefix: 'eo', submitLabel: 'Save',
      onSubmit: async (body) => {
        const u = await api(`/orgs/${o.id}`, { method: 'PATCH', json: body, ifMatch: o.etag });
        o = { ...o, ...u };
        title.textContent = o.name;
        ctx.setTitle(o.name);
        showDetails();
        announce(`Saved ${o.name}.`, { visual: true });
        editBtn.focus();
        return u;
      },
      onCancel: () => { showDetails(); editBtn.focus(); },
    });
    swap(details, form);
  });
  delBtn.addEventListener('click', async () => {
    if (!(await confirmDialog(`Delete ${o.name}?`, { detail: 'Their jobs there are removed too. This cannot be undone.' }))) return;
    try {
      await api(`/orgs/${o.id}`, { method: 'DELETE', ifMatch: o.etag });
      announce(`Deleted ${o.name}.`, { visual: true });
      go('#/orgs');
    } catch (e) { delErr.show(serverMessage(e)); }
  });

  const currentBox = h('div', { 'aria-busy': 'true' }, loading());
  const formerBox = h('div', { 'aria-busy': 'true' }, loading());
  const knownBox = h('div', { 'aria-busy': 'true' }, loading());
  const addJobBox = h('div');
  const addJobBtn = h('button', { type: 'button', class: 'secondary', id: 'org-add-person' }, '+ Someone who works or worked here');
  addJobBtn.addEventListener('click', () => {
    addJobBtn.hidden = true;
    swap(addJobBox, jobForm({
      org: o, idPrefix: 'oj',
      onDone: () => { clear(addJobBox); addJobBtn.hidden = false; loadPeople(); ways.load(); },
      onCancel: () => { clear(addJobBox); addJobBtn.hidden = false; addJobBtn.focus(); },
    }));
  });

  const loadPeople = async () => {
    try {
      const d = await api(`/orgs/${o.id}/people`);
      if (!ctx.alive()) return;
      put(currentBox, peopleList('org-current', d.current || [], 'Nobody you can see works here now.'));
      put(formerBox, peopleList('org-former', d.former || [], 'Nobody you can see used to work here.', { former: true }));
      const known = d.known_by || [];
      put(knownBox, known.length
        ? h('ul', { class: 'list', id: 'org-known' }, known.map((k) => h('li', null,
          h('div', { class: 'main' }, h('div', { class: 'name' }, k.name),
            h('div', { class: 'meta' }, `knows ${plural(k.contacts || 0, 'person', 'people')} here`)),
          k.strength !== undefined ? h('div', { class: 'side' }, meter(k.strength), ' ', pct(k.strength)) : null)))
        : h('p', { class: 'empty' }, 'Nobody in the team knows anyone here yet.'));
    } catch (e) {
      if (!ctx.alive()) return;
      for (const b of [currentBox, formerBox, knownBox]) put(b, errorBox(e));
    }
    for (const b of [currentBox, formerBox, knownBox]) b.setAttribute('aria-busy', 'false');
  };

  const me = ctx.session.me;
  const ways = waysPanel(ctx, o, me.id, me.person ? me.person.id : null);
  put(root, 
    h('div', { class: 'person-head screen-head' }, title, o.private ? h('span', { class: 'badge private' }, 'private') : null,
      h('div', { class: 'actions' }, editBtn, delBtn)),
    delErr.el,
    h('div', { class: 'grid' },
      h('div', { class: 'col span-7' },
        h('section', { class: 'panel', 'aria-labelledby': 'org-current-title' }, h('h2', { id: 'org-current-title' }, 'Works here now'), currentBox, addJobBtn, addJobBox),
        h('section', { class: 'panel', 'aria-labelledby': 'org-former-title' }, h('h2', { id: 'org-former-title' }, 'Used to work here'), formerBox)),
      h('div', { class: 'col span-5' },
        h('section', { class: 'panel', 'aria-labelledby': 'org-details-title' }, h('h2', { id: 'org-details-title' }, 'Details'), details),
        h('section', { class: 'panel', 'aria-labelledby': 'org-known-title' }, h('h2', { id: 'org-known-title' }, 'Who in the team knows them'), knownBox)),
      h('div', { class: 'col span-12' }, ways.panel)));
  showDetails();
  focusHeading(root);
  await Promise.all([loadPeople(), ways.load()]);
}
