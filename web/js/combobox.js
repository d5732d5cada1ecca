// Search as you type, as an ARIA 1.2 combobox: arrows move through the
// results, Enter picks, Escape closes (and clears when already closed).
//
// What is listed always answers the text in the box.  Each keystroke
// aborts the request before it, an answer that comes back after a newer
// one is dropped, and Enter never picks from a list made for older text:
// when the list is behind the box, Enter asks the server for the box's
// text at once and picks from that answer.  (Typing fast and pressing
// Enter used to pick the first name found for the first letters.)
import { api, rememberName } from './api.js';
import { h, clear, newId, marked, debounce } from './dom.js';

const TYPE_LABEL = { person: 'person', org: 'organisation', interaction: 'note' };

// A hit with its name in `title` and a person's job title in `job_title`
// (servers carry the name as `title`, or as `name` with the job as `title`).
export function normalizeHit(it) {
  if (it.type === 'person' && it.name) return { ...it, title: it.name, job_title: it.job_title || (it.title !== it.name ? it.title : null) };
  return { ...it, title: it.title || '' };
}

// What tells two namesakes apart: where they work, their city, an email.
export function personDetail(it) {
  const role = it.job_title || null;
  const org = it.org || it.org_name || null;
  const work = org ? (role ? `${role} at ${org}` : org) : null;
  const parts = [work, it.city, it.email].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

// opts.types: which hits to list; opts.onPick(hit, input); opts.onCreate(text)
// adds a "Create 'text'" option; opts.onAll(text) adds "All results" and
// is what Enter does when no option is chosen (else Enter picks the first).
export function combobox(input, { types = ['person', 'org', 'interaction'], onPick, limit = 8, live, onCreate, onAll, createLabel = 'Create' } = {}) {
  const list = h('ul', { class: 'listbox', role: 'listbox', id: newId('lb'), hidden: true, 'aria-label': 'Suggestions' });
  input.insertAdjacentElement('afterend', list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');

  let items = [];       // hits, then the create / all-results entries
  let itemsFor = null;  // the text `items` answers
  let active = -1;
  let seq = 0;
  let ctrl = null;
  let entering = null;  // the text an Enter is looking up now

  function setOpen(open) {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) { active = -1; input.removeAttribute('aria-activedescendant'); }
  }

  function setActive(i) {
    const opts = list.querySelectorAll('[role=option]');
    if (!opts.length) return;
    active = (i + opts.length) % opts.length;
    opts.forEach((o, j) => o.setAttribute('aria-selected', String(j === active)));
    input.setAttribute('aria-activedescendant', opts[active].id);
    opts[active].scrollIntoView({ block: 'nearest' });
  }

  const current = () => input.value.trim();

  function entries(hits, q) {
    const out = hits.slice();
    const exact = hits.some((it) => it.type === 'person' && it.title.toLowerCase() === q.toLowerCase());
    if (onCreate && q && !exact) out.push({ type: 'create', title: q });
    if (onAll && q) out.push({ type: 'all', title: q });
    return out;
  }

  function render(q) {
    clear(list);
    active = -1;
    input.removeAttribute('aria-activedescendant');
    const hits = items.filter((it) => it.type !== 'create' && it.type !== 'all');
    if (!hits.length) list.append(h('li', { class: 'none', role: 'presentation' }, `Nothing found for “${q}”`));
    items.forEach((it, i) => {
      let body;
      if (it.type === 'create') body = [h('span', { class: 'kind' }, 'new'), h('span', { class: 'title' }, `${createLabel} “${it.title}”`)];
      else if (it.type === 'all') body = [h('span', { class: 'kind' }, 'search'), h('span', { class: 'title' }, `All results for “${it.title}”`)];
      else {
        const detail = it.type === 'person' ? personDetail(it) : null;
        body = [types.length > 1 ? h('span', { class: 'kind' }, TYPE_LABEL[it.type] || it.type) : null,
          h('span', { class: 'opt' }, h('span', { class: 'title' }, it.title),
            detail ? h('span', { class: 'detail' }, detail)
              : it.snippet ? h('span', { class: 'snip' }, marked(it.snippet)) : null)];
      }
      const li = h('li', { role: 'option', id: `${list.id}-${i}`, 'aria-selected': 'false', class: it.type === 'create' || it.type === 'all' ? 'extra' : null }, body);
      li.addEventListener('mousedown', (e) => { e.preventDefault(); pick(i); });
      li.addEventListener('mousemove', () => { if (active !== i) setActive(i); });
      list.append(li);
    });
    setOpen(true);
    if (live) live(hits.length ? `${hits.length} result${hits.length === 1 ? '' : 's'}` : 'no results');
  }

  // The hits for q, or null when a newer request has started since.
  async function fetchFor(q) {
    if (ctrl) ctrl.abort();
    const mine = ++seq;
    const c = ctrl = new AbortController();
    try {
      const data = await api('/search', { params: { q, limit: Math.max(limit, 12), type: types.length === 1 ? types[0] : undefined }, signal: c.signal });
      if (mine !== seq) return null;
      const hits = (data.items || []).filter((it) => types.includes(it.type)).slice(0, limit).map(normalizeHit);
      for (const it of hits) if (it.type === 'person') rememberName(it.id, it.title);
      return entries(hits, q);
    } catch (e) {
      if (mine !== seq || e.code === 'aborted') return null;
      throw e;
    }
  }

  async function refresh() {
    const q = current();
    if (!q) { if (ctrl) ctrl.abort(); seq++; items = []; itemsFor = ''; setOpen(false); return; }
    // The search after the last keystroke comes 120 ms late: when Enter is
    // already asking for the same text, it must not abort that request
    // (a slow answer then left Enter with nothing picked).
    if (entering === q) return;
    try {
      const got = await fetchFor(q);
      if (!got || current() !== q || document.activeElement !== input) return;
      items = got;
      itemsFor = q;
      render(q);
    } catch (e) {
      if (current() !== q) return;
      items = [];
      itemsFor = null;
      clear(list).append(h('li', { class: 'none error', role: 'presentation' }, e.message));
      setOpen(true);
    }
  }
  const run = debounce(refresh, 120);

  function pick(i) {
    const it = items[i];
    if (!it) return;
    setOpen(false);
    if (it.type === 'create') { onCreate(it.title, input); return; }
    if (it.type === 'all') { onAll(it.title, input); return; }
    onPick && onPick(it, input);
  }

  // Enter: the chosen option when the list answers the box; otherwise the
  // box's text is looked up now and the first hit (or all results) taken.
  async function enter() {
    const q = current();
    if (!list.hidden && itemsFor === q && items.length) {
      if (active >= 0) { pick(active); return; }
      if (onAll) { onAll(q, input); setOpen(false); return; }
      if (items[0].type !== 'create' && items[0].type !== 'all') { pick(0); return; }
      if (items[0].type === 'create') return; // nothing found: the user chooses
    }
    if (onAll) { setOpen(false); onAll(q, input); return; }
    input.setAttribute('aria-busy', 'true');
    entering = q;
    try {
      const got = await fetchFor(q);
      if (!got || current() !== q) return; // typed on: a later Enter decides
      items = got;
      itemsFor = q;
      const first = items[0];
      if (first && first.type !== 'create' && first.type !== 'all') pick(0);
      else render(q);
    } catch (e) {
      clear(list).append(h('li', { class: 'none error', role: 'presentation' }, e.message));
      setOpen(true);
    } finally {
      if (entering === q) entering = null;
      input.removeAttribute('aria-busy');
    }
  }

  input.addEventListener('input', () => {
    input.dataset.pickedId = '';
    // The list on screen now answers older text: no option stays chosen.
    active = -1;
    input.removeAttribute('aria-activedescendant');
    list.querySelectorAll('[aria-selected=true]').forEach((o) => o.setAttribute('aria-selected', 'false'));
    run();
  });
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open || itemsFor !== current()) { if (current()) refresh(); return; }
      setActive(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (open && itemsFor === current()) setActive(active - 1);
    } else if (e.key === 'Enter') {
      if (!current()) return;
      if (input.dataset.pickedId && !open) return; // already chosen: the form's own Enter
      e.preventDefault();
      enter();
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); e.stopPropagation(); setOpen(false); }
      else if (input.value) { e.preventDefault(); input.value = ''; input.dataset.pickedId = ''; }
    } else if (e.key === 'Tab' && open) {
      setOpen(false);
    }
  });
  input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== input) setOpen(false); }, 150));
  input.addEventListener('focus', () => { if (current() && current() !== itemsFor && !input.dataset.pickedId) run(); });

  return { close: () => setOpen(false), list };
}
