// People: the list with filters, sorting and pages (#/people), a new
// person (#/people/new) and the full search results (#/search?q=).
import { api, rememberName, orbits } from './api.js';
import { h, put, clear, announce, loading, errorBox, timeEl, meter, pct, plural, marked } from './dom.js';
import { focusHeading, go } from './nav.js';
import { field, errorLine, validate, check, split, submitting } from './forms.js';
import { personDetail, normalizeHit } from './combobox.js';

const PAGE = 50;
const ORBITS = ['inner', 'close', 'active', 'known', 'wider'];
const SORTS = [['name', 'Name'], ['strength', 'Strength'], ['last', 'Last contact'], ['created', 'Added'], ['updated', 'Changed']];

const hashWith = (base, params) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) u.set(k, v);
  const s = u.toString();
  return s ? `${base}?${s}` : base;
};

// The filters as the form shows them, from the hash.
const FILTERS = ['q', 'org', 'tag', 'city', 'country', 'orbit', 'due', 'strength_min', 'strength_max', 'visibility', 'sort', 'order'];

export async function peopleScreen(ctx) {
  const { root, params } = ctx;
  ctx.setTitle('People');
  const cur = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || '']));
  const offset = Math.max(0, Number(params.get('offset')) || 0);

  const inp = (k, label, attrs = {}) => field(`pf-${k}`, label, h('input', { type: 'text', value: cur[k], ...attrs }));
  const [qF, q] = inp('q', 'Name', { type: 'search', placeholder: 'Any part of a name' });
  const [orgF, org] = inp('org', 'Organisation', { placeholder: 'Works there now' });
  const [tagF, tag] = inp('tag', 'Tag', { placeholder: 'e.g. chess', list: 'pf-tag-list' });
  const tagList = h('datalist', { id: 'pf-tag-list' });
  tagF.append(tagList);
  api('/tags', { params: { limit: 200 } }).then((d) => put(tagList, (d.items || []).map((t) => h('option', { value: t.tag }, `${t.tag} (${t.count})`)))).catch(() => {});
  const [cityF, city] = inp('city', 'City');
  const [orbitF, orbit] = field('pf-orbit', 'Orbit', h('select', null, h('option', { value: '' }, 'any'),
    ORBITS.map((o, i) => h('option', { value: String(i + 1), selected: cur.orbit === String(i + 1) }, `${i + 1} · ${o}`))));
  const [minF, smin] = field('pf-smin', 'Strength from (%)', h('input', { type: 'number', min: 0, max: 100, step: 1, value: cur.strength_min ? Math.round(cur.strength_min * 100) : '' }));
  const [maxF, smax] = field('pf-smax', 'to (%)', h('input', { type: 'number', min: 0, max: 100, step: 1, value: cur.strength_max ? Math.round(cur.strength_max * 100) : '' }));
  const [visF, vis] = field('pf-vis', 'Seen by', h('select', null,
    [['', 'anyone'], ['team', 'the team'], ['private', 'only me']].map(([v, l]) => h('option', { value: v, selected: cur.visibility === v }, l))));
  const due = h('input', { type: 'checkbox', id: 'pf-due', checked: cur.due === '1' });
  const [sortF, sort] = field('pf-sort', 'Sort by', h('select', null, SORTS.map(([v, l]) => h('option', { value: v, selected: (cur.sort || 'name') === v }, l))));
  const [orderF, order] = field('pf-order', 'Order', h('select', null,
    h('option', { value: 'asc', selected: cur.order !== 'desc' }, 'ascending'), h('option', { value: 'desc', selected: cur.order === 'desc' }, 'descending')));
  const err = errorLine();
  const form = h('form', { class: 'filters', 'aria-label': 'Filter people', novalidate: true },
    h('div', { class: 'row' }, qF, orgF, tagF, cityF),
    h('div', { class: 'row' }, orbitF, minF, maxF, visF, sortF, orderF),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply'),
      h('a', { class: 'button secondary', href: '#/people' }, 'Clear'),
      h('label', { class: 'check' }, due, 'Only people due'),
      h('a', { class: 'button secondary push', href: '#/people/new', id: 'add-person' }, '+ Add a person')),
    err.el);
  const pct100 = (v) => { const t = String(v).trim(); if (!t) return ''; const x = Number(t); return Number.isFinite(x) && x >= 0 && x <= 100 ? '' : 'Strength is a percentage from 0 to 100.'; };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!validate(err, [[smin, pct100], [smax, pct100], [smax, () => (smin.value && smax.value && Number(smin.value) > Number(smax.value) ? 'The strength range is upside down.' : '')]])) return;
    go(hashWith('#/people', {
      q: q.value.trim(), org: org.value.trim(), tag: tag.value.trim(), city: city.value.trim(), orbit: orbit.value,
      due: due.checked ? '1' : '', strength_min: smin.value ? String(Number(smin.value) / 100) : '',
      strength_max: smax.value ? String(Number(smax.value) / 100) : '', visibility: vis.value,
      sort: sort.value === 'name' ? '' : sort.value, order: order.value === 'asc' ? '' : order.value,
    }));
  });

  const out = h('div', { id: 'people-out', 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'People'), h('p', null, 'Everyone you can see, to filter and sort.')),
    h('section', { class: 'panel', 'aria-label': 'Filters' },
      h('details', { class: 'filters-box', open: window.innerWidth > 760 || FILTERS.some((k) => cur[k]) }, h('summary', null, 'Filters and sorting'), form)),
    h('section', { class: 'panel', 'aria-labelledby': 'people-count' }, out));
  focusHeading(root);

  const query = { limit: PAGE, offset };
  for (const k of FILTERS) if (cur[k]) query[k] = cur[k];
  if (!query.sort && (query.order === 'desc')) query.sort = 'name';
  try {
    const [data, orbitMap] = await Promise.all([api('/people', { params: query }), orbits().catch(() => new Map())]);
    if (!ctx.alive()) return;
    const items = data.items || [];
    const total = data.total ?? items.length;
    clear(out);
    const any = FILTERS.some((k) => k !== 'sort' && k !== 'order' && cur[k]);
    out.append(h('h2', { id: 'people-count' }, total ? `${plural(total, 'person', 'people')}${any ? ' match' : ''}` : 'Nobody yet'));
    if (!items.length) {
      out.append(any
        ? h('p', { class: 'empty' }, 'Nobody matches these filters. ', h('a', { href: '#/people' }, 'Clear them'), '.')
        : h('div', { class: 'empty-state' }, h('p', null, 'You have no one in kith yet. Add the people you know, or import an address book.'),
          h('p', null, h('a', { class: 'button', href: '#/people/new' }, 'Add a person'), ' ', h('a', { class: 'button secondary', href: '#/import' }, 'Import contacts'))));
    } else {
      const sortBy = cur.sort || 'name';
      const th = (key, label) => {
        const sorted = sortBy === key;
        const next = sorted && cur.order !== 'desc' ? 'desc' : key === 'name' ? 'asc' : 'desc';
        return h('th', { scope: 'col', 'aria-sort': sorted ? (cur.order === 'desc' ? 'descending' : 'ascending') : null },
          h('a', { href: hashWith('#/people', { ...cur, sort: key === 'name' ? '' : key, order: next === 'asc' ? '' : next, offset: '' }) }, label, sorted ? (cur.order === 'desc' ? ' ↓' : ' ↑') : ''));
      };
      out.append(h('div', { class: 'table-wrap' }, h('table', { id: 'people-table', class: 'people' },
        h('thead', null, h('tr', null, th('name', 'Name'), h('th', { scope: 'col', class: 'hide-phone' }, 'Work'), h('th', { scope: 'col', class: 'hide-phone' }, 'Place'),
          th('strength', 'Strength'), th('last', 'Last contact'))),
        h('tbody', null, items.map((p) => {
          rememberName(p.id, p.name);
          const o = orbitMap.get(p.id);
          const orbitName = p.orbit ? ORBITS[p.orbit - 1] || `orbit ${p.orbit}` : o ? o.orbit_name : null;
          const strength = p.strength ?? (o ? o.strength : null);
          return h('tr', null,
            h('td', null, h('a', { class: 'name', href: `#/person/${p.id}` }, p.name),
              p.org ? h('div', { class: 'small muted show-phone' }, p.org) : null,
              orbitName ? [' ', h('span', { class: `badge ${orbitName}` }, orbitName)] : null,
              p.private ? [' ', h('span', { class: 'badge private' }, 'private')] : null,
              (p.tags || []).length ? h('div', { class: 'small muted' }, p.tags.join(', ')) : null),
            h('td', { class: 'hide-phone' }, p.org ? (p.title ? `${p.title}, ${p.org}` : p.org) : h('span', { class: 'muted' }, '—')),
            h('td', { class: 'hide-phone' }, [p.city, p.country].filter(Boolean).join(', ')),
            h('td', null, strength ? [meter(strength), ' ', pct(strength)] : h('span', { class: 'muted' }, '—')),
            h('td', null, p.last ? timeEl(p.last) : h('span', { class: 'muted' }, 'never')));
        })))));
      const last = Math.min(total, offset + items.length);
      const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' },
        h('span', { class: 'small muted', id: 'people-range' }, `${offset + 1}–${last} of ${total.toLocaleString('en')}`),
        offset > 0 ? h('a', { class: 'button secondary', href: hashWith('#/people', { ...cur, offset: String(Math.max(0, offset - PAGE)) }), rel: 'prev' }, '← Previous') : null,
        last < total ? h('a', { class: 'button secondary', id: 'people-next', href: hashWith('#/people', { ...cur, offset: String(offset + PAGE) }), rel: 'next' }, 'Next →') : null);
      out.append(nav);
      announce(`${plural(total, 'person', 'people')}.`);
    }
  } catch (e) {
    if (ctx.alive()) put(out, errorBox(e));
  }
  out.setAttribute('aria-busy', 'false');
}

// A new person.  ?name= fills the name (from "Create 'X'" in search).
export function personForm({ person = {}, idPrefix = 'np', submitLabel = 'Add person', ariaLabel, onSubmit, onCancel }) {
  const id = (k) => `${idPrefix}-${k}`;
  const f = (k, label, value, opts = {}) => field(id(k), label, opts.area ? h('textarea', { value: value || '' }) : h('input', { type: opts.type || 'text', value: value || '' }), { hint: opts.hint });
  const list = (v) => (v || []).join(', ');
  const [nameF, name] = f('name', 'Name', person.name);
  const [emailsF, emails] = f('emails', 'Emails', list(person.emails), { hint: 'comma-separated' });
  const [phonesF, phones] = f('phones', 'Phones', list(person.phones), { hint: 'comma-separated' });
  const [cityF, city] = f('city', 'City', person.city);
  const [countryF, country] = f('country', 'Country', person.country);
  const [tagsF, tags] = f('tags', 'Tags', list(person.tags), { hint: 'comma-separated, one word each' });
  const [notesF, notes] = f('notes', 'About', person.notes, { area: true });
  const priv = h('input', { type: 'checkbox', id: id('private'), checked: !!person.private });
  const err = errorLine();
  const form = h('form', { class: 'person-form', 'aria-label': ariaLabel || submitLabel, novalidate: true },
    h('div', { class: 'row' }, nameF), h('div', { class: 'row' }, emailsF, phonesF),
    h('div', { class: 'row' }, cityF, countryF), h('div', { class: 'row' }, tagsF), h('div', { class: 'row' }, notesF),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel),
      onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null,
      h('label', { class: 'check' }, priv, 'Private (only you see them)')),
    err.el);
  if (onCancel) form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!validate(err, [[name, check.name('A name')], [emails, check.emails], [phones, check.phones],
      [city, check.line('The city')], [country, check.line('The country')], [tags, check.tags], [notes, check.note('About')]])) return;
    const body = {
      display_name: name.value.trim(), emails: split(emails.value), phones: split(phones.value),
      city: city.value.trim() || null, country: country.value.trim() || null, tags: split(tags.value),
      notes: notes.value.trim() || null, private: priv.checked,
    };
    await submitting(form, err, () => onSubmit(body));
  });
  return { form, name, err };
}

export async function newPersonScreen(ctx) {
  const { root, params } = ctx;
  ctx.setTitle('Add a person');
  const { form, name } = personForm({
    person: { name: params.get('name') || '' },
    onSubmit: async (body) => {
      const p = await api('/people', { method: 'POST', json: body });
      rememberName(p.id, p.name);
      announce(`Added ${p.name}.`, { visual: true });
      go(`#/person/${p.id}`);
      return p;
    },
    onCancel: () => history.back(),
  });
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Add a person'), h('p', null, 'Only a name is needed; the rest can come later.')),
    h('section', { class: 'panel narrow', 'aria-label': 'New person' }, form));
  focusHeading(root);
  name.focus();
  if (name.value) name.setSelectionRange(name.value.length, name.value.length);
}

// The full results of a search, by kind, paged.
export async function searchScreen(ctx) {
  const { root, params } = ctx;
  const q = (params.get('q') || '').trim();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  ctx.setTitle(q ? `“${q}”` : 'Search');
  const box = h('input', { id: 'sq', type: 'search', value: q, placeholder: 'Names, organisations, notes' });
  const form = h('form', { role: 'search', 'aria-label': 'Search again' },
    h('div', { class: 'row' }, h('div', { class: 'field grow' }, h('label', { for: 'sq' }, 'Search for'), box)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')));
  form.addEventListener('submit', (e) => { e.preventDefault(); if (box.value.trim()) go(hashWith('#/search', { q: box.value.trim() })); });
  const out = h('div', { id: 'search-out', 'aria-live': 'polite', 'aria-busy': 'true' }, q ? loading() : null);
  root.append(h('div', { class: 'screen-head' }, h('h1', null, q ? `Results for “${q}”` : 'Search')),
    h('section', { class: 'panel' }, form, out));
  focusHeading(root);
  if (!q) { out.setAttribute('aria-busy', 'false'); box.focus(); return; }
  const LIMIT = 60;
  try {
    const data = await api('/search', { params: { q, limit: LIMIT, offset } });
    if (!ctx.alive()) return;
    const items = (data.items || []).map(normalizeHit);
    clear(out);
    const group = (type, title, render) => {
      const xs = items.filter((it) => it.type === type);
      if (!xs.length) return null;
      return h('section', { class: 'result-group', 'aria-label': title }, h('h2', null, title, h('small', null, String(xs.length))),
        h('ul', { class: 'list', id: `results-${type}` }, xs.map(render)));
    };
    const exact = items.some((it) => it.type === 'person' && it.title.toLowerCase() === q.toLowerCase());
    out.append(
      h('p', { class: 'small muted', id: 'search-count' }, items.length ? `${plural(items.length, 'result')}${data.total ? ` of ${data.total}` : ''}` : `Nothing found for “${q}”.`),
      group('person', 'People', (it) => {
        rememberName(it.id, it.title);
        const d = personDetail(it);
        return h('li', null, h('div', { class: 'main' }, h('a', { class: 'name', href: `#/person/${it.id}` }, it.title),
          d ? h('div', { class: 'meta' }, d) : it.snippet ? h('div', { class: 'meta' }, ...marked(it.snippet)) : null));
      }),
      group('org', 'Organisations', (it) => h('li', null, h('div', { class: 'main' }, h('a', { class: 'name', href: `#/org/${it.id}` }, it.title),
        it.snippet ? h('div', { class: 'meta' }, ...marked(it.snippet)) : null))),
      group('interaction', 'Interactions and notes', (it) => h('li', null, h('div', { class: 'main' },
        h('a', { href: `#/interaction/${it.id}` }, it.title || 'interaction'), it.snippet ? h('div', { class: 'meta' }, ...marked(it.snippet)) : null))),
      exact ? null : h('p', null, h('a', { class: 'button secondary', id: 'create-from-search', href: hashWith('#/people/new', { name: q }) }, `Create “${q}”`)),
      h('nav', { class: 'pager', 'aria-label': 'Pages' },
        offset > 0 ? h('a', { class: 'button secondary', href: hashWith('#/search', { q, offset: String(Math.max(0, offset - LIMIT)) }) }, '← Previous') : null,
        items.length === LIMIT ? h('a', { class: 'button secondary', href: hashWith('#/search', { q, offset: String(offset + LIMIT) }) }, 'Next →') : null));
    announce(`${plural(items.length, 'result')}.`);
  } catch (e) {
    if (ctx.alive()) put(out, errorBox(e));
  }
  out.setAttribute('aria-busy', 'false');
}

