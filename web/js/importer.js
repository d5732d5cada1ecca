// Import a vCard, CSV, mbox or iCalendar file: a dry run first, then the
// real import.
import { api, orbits } from './api.js';
import { h, clear, announce, loading, errorBox } from './dom.js';
import { focusHeading } from './nav.js';

const FORMATS = [['auto', 'Guess from the file'], ['vcard', 'vCard (.vcf)'], ['csv', 'CSV'], ['mbox', 'Mail (mbox)'], ['ics', 'Calendar (.ics)']];

function guessFormat(name) {
  const ext = (name.split('.').pop() || '').toLowerCase();
  return { vcf: 'vcard', vcard: 'vcard', csv: 'csv', mbox: 'mbox', mbx: 'mbox', ics: 'ics', ical: 'ics' }[ext] || 'auto';
}

function report(r, committed) {
  const stat = (k, v) => h('div', { class: 'stat' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, String(v ?? 0)));
  const issues = r.issues || [];
  return h('div', { class: 'import-report', id: committed ? 'import-done' : 'import-dry' },
    h('h3', null, committed ? 'Imported' : 'Dry run: nothing has changed yet', h('span', { class: 'muted small' }, ` · ${r.format}`)),
    h('div', { class: 'summary' },
      stat('Records', r.records), stat(committed ? 'New' : 'Would be new', r.new), stat('Merged', r.merged),
      stat('Unchanged', r.unchanged), stat('Skipped', r.skipped), stat('Rejected', r.rejected)),
    issues.length ? h('details', { open: issues.length <= 8 },
      h('summary', null, `${issues.length} issue${issues.length === 1 ? '' : 's'}`),
      h('table', null, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Reason'))),
        h('tbody', null, issues.slice(0, 200).map((i) => h('tr', null, h('td', null, String(i.line ?? '')), h('td', null, i.level), h('td', null, i.reason)))))) : null);
}

export async function importScreen(ctx) {
  const { root } = ctx;
  ctx.setTitle('Import');
  const file = h('input', { id: 'import-file', type: 'file', accept: '.vcf,.vcard,.csv,.mbox,.ics,.txt,text/vcard,text/csv,text/calendar' });
  const format = h('select', { id: 'import-format' }, FORMATS.map(([v, l]) => h('option', { value: v }, l)));
  const priv = h('input', { id: 'import-private', type: 'checkbox' });
  const map = h('input', { id: 'import-map', type: 'text', placeholder: 'name=Full Name,email=E-mail' });
  const check = h('button', { type: 'submit', id: 'import-check' }, 'Check (dry run)');
  const out = h('div', { id: 'import-out', 'aria-live': 'polite' });
  const drop = h('div', { class: 'drop' }, h('label', { for: 'import-file' }, 'Choose a file, or drop it here'), h('div', null, file));
  const mapField = h('div', { class: 'field grow' }, h('label', { for: 'import-map' }, 'CSV columns (optional)'), map);
  const form = h('form', { 'aria-label': 'Import a file' }, drop,
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'import-format' }, 'Format'), format),
      mapField),
    h('div', { class: 'actions' }, check, h('label', { class: 'check' }, priv, 'Private to me')));

  const showMap = () => { mapField.hidden = !['csv', 'auto'].includes(format.value); };
  format.addEventListener('change', showMap);
  let chosen = null;
  const choose = (f) => {
    chosen = f;
    if (f) format.value = guessFormat(f.name);
    showMap();
    clear(out);
  };
  file.addEventListener('change', () => choose(file.files[0] || null));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) choose(e.dataTransfer.files[0]);
  });

  const query = (dry) => {
    const p = { format: format.value };
    if (dry) p.dry_run = 1;
    if (priv.checked) p.private = 1;
    if (map.value.trim()) p.map = map.value.trim();
    return p;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!chosen) { clear(out).append(h('p', { class: 'error', role: 'alert' }, 'Choose a file first.')); file.focus(); return; }
    clear(out).append(loading('Checking…'));
    check.disabled = true;
    try {
      const dry = await api('/import', { method: 'POST', params: query(true), body: chosen });
      if (!ctx.alive()) return;
      const commit = h('button', { type: 'button', id: 'import-commit' }, `Import ${dry.records} record${dry.records === 1 ? '' : 's'}`);
      const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
      clear(out).append(report(dry, false), h('div', { class: 'actions' }, commit, cancel));
      announce(`Dry run: ${dry.records} records, ${dry.new} new, ${dry.merged} merged, ${dry.rejected} rejected.`);
      cancel.addEventListener('click', () => { clear(out); check.focus(); });
      commit.addEventListener('click', async () => {
        commit.disabled = true;
        try {
          const done = await api('/import', { method: 'POST', params: query(false), body: chosen });
          if (!ctx.alive()) return;
          orbits(true).catch(() => {});
          clear(out).append(report(done, true), h('p', { class: 'ok' }, 'Done. ', h('a', { href: '#/' }, 'Back to today')));
          announce(`Imported: ${done.new} new, ${done.merged} merged.`);
          out.querySelector('h3').setAttribute('tabindex', '-1');
          out.querySelector('h3').focus();
        } catch (ex) { commit.disabled = false; out.append(errorBox(ex)); }
      });
      commit.focus();
    } catch (ex) {
      clear(out).append(errorBox(ex));
    } finally {
      check.disabled = false;
    }
  });

  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Import'), h('p', null, 'vCard, CSV, mail (mbox) or calendar (ics). You see what would change before anything does.')),
    h('section', { class: 'panel', 'aria-label': 'Import a file' }, form, out));
  focusHeading(root);
}
