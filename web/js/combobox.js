// Search as you type, as an ARIA 1.2 combobox: arrows move through the
// results, Enter picks, Escape closes (and clears when already closed).
import { api, rememberName } from './api.js';
import { h, clear, newId, marked, debounce } from './dom.js';

const TYPE_LABEL = { person: 'person', org: 'organisation', interaction: 'note' };

export function combobox(input, { types = ['person', 'org', 'interaction'], onPick, limit = 8, pickFirstOnEnter = true, live } = {}) {
  const list = h('ul', { class: 'listbox', role: 'listbox', id: newId('lb'), hidden: true });
  input.insertAdjacentElement('afterend', list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');

  let items = [];
  let active = -1;
  let seq = 0;
  let lastQuery = '';

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

  function render(q) {
    clear(list);
    if (!items.length) {
      list.append(h('li', { class: 'none', role: 'presentation' }, `Nothing found for “${q}”`));
    }
    items.forEach((it, i) => {
      const li = h('li', { role: 'option', id: `${list.id}-${i}`, 'aria-selected': 'false' },
        types.length > 1 ? h('span', { class: 'kind' }, TYPE_LABEL[it.type] || it.type) : null,
        h('span', { class: 'title' }, it.title),
        it.type !== 'person' && it.snippet ? h('span', { class: 'snip' }, marked(it.snippet)) : null);
      li.addEventListener('mousedown', (e) => { e.preventDefault(); pick(i); });
      li.addEventListener('mousemove', () => { if (active !== i) setActive(i); });
      list.append(li);
    });
    setOpen(true);
    if (live) live(items.length ? `${items.length} result${items.length === 1 ? '' : 's'}` : 'no results');
  }

  const run = debounce(async () => {
    const q = input.value.trim();
    lastQuery = q;
    if (!q) { items = []; setOpen(false); return; }
    const mine = ++seq;
    try {
      const data = await api('/search', { params: { q, limit: Math.max(limit, 12) } });
      if (mine !== seq || document.activeElement !== input) return;
      items = (data.items || []).filter((it) => types.includes(it.type)).slice(0, limit);
      for (const it of items) if (it.type === 'person') rememberName(it.id, it.title);
      render(q);
    } catch (e) {
      if (mine !== seq) return;
      items = [];
      clear(list).append(h('li', { class: 'none error', role: 'presentation' }, e.message));
      setOpen(true);
    }
  }, 120);

  function pick(i) {
    const it = items[i];
    if (!it) return;
    setOpen(false);
    onPick && onPick(it, input);
  }

  input.addEventListener('input', () => { input.dataset.pickedId = ''; run(); });
  input.addEventListener('keydown', (e) => {
    const open = !list.hidden;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open && input.value.trim()) { run(); return; }
      setActive(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (open) setActive(active - 1);
    } else if (e.key === 'Enter') {
      if (open && items.length && (active >= 0 || pickFirstOnEnter)) {
        e.preventDefault();
        pick(active >= 0 ? active : 0);
      }
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); e.stopPropagation(); setOpen(false); }
      else if (input.value) { e.preventDefault(); input.value = ''; input.dataset.pickedId = ''; }
    } else if (e.key === 'Tab' && open) {
      setOpen(false);
    }
  });
  input.addEventListener('blur', () => setTimeout(() => setOpen(false), 150));
  input.addEventListener('focus', () => { if (input.value.trim() && input.value.trim() !== lastQuery) run(); });

  return { close: () => setOpen(false), list };
}
