// Logging an interaction: with one or several people, of any kind, a
// favour with its direction and value, who started it, when (a date and
// time picker; empty is now), and whether the team sees it.
import { api, kinds, nameOf, rememberName } from './api.js';
import { h, put, clear } from './dom.js';
import { combobox } from './combobox.js';
import { errorLine, check, submitting } from './forms.js';

const pad = (n) => String(n).padStart(2, '0');
// The value a datetime-local input takes for a Date, in local time.
export function localValue(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// opts.person: {id, name} always in it (the person page); opts.onLogged(ix).
export function logForm(session, { person = null, onLogged, idPrefix = 'log' } = {}) {
  const id = (k) => `${idPrefix}-${k}`;
  const err = errorLine();
  const done = h('p', { class: 'small ok', id: id('done'), 'aria-live': 'polite' });
  const meId = session.me.person ? session.me.person.id : null;
  const chosen = []; // [{id, name}] besides `person` and me
  const chips = h('ul', { class: 'chips', id: id('chips'), 'aria-label': 'People in it' });
  const who = h('input', { id: id('who'), type: 'text', placeholder: person ? 'Add someone else (optional)' : 'Start typing a name', 'aria-describedby': `${id('who')}-hint` });
  const kind = h('select', { id: id('kind') });
  const at = h('input', { id: id('at'), type: 'datetime-local', 'aria-describedby': `${id('at')}-hint`, max: localValue(new Date(Date.now() + 365 * 86400000)) });
  const note = h('input', { id: id('note'), type: 'text', placeholder: 'What was it about?' });
  const priv = h('input', { id: id('private'), type: 'checkbox' });
  const starter = h('select', { id: id('initiator') });
  const giver = h('select', { id: id('giver') });
  const value = h('input', { id: id('value'), type: 'number', min: '0.1', max: '1000000', step: 'any', inputmode: 'decimal', placeholder: '1' });
  const submit = h('button', { type: 'submit' }, 'Log it');
  const starterField = h('div', { class: 'field tight' }, h('label', { for: id('initiator') }, 'Who started it'), starter);
  const favourBox = h('fieldset', { class: 'favour', id: id('favour'), hidden: true },
    h('legend', null, 'The favour'),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: id('giver') }, 'Direction'), giver),
      h('div', { class: 'field tight' }, h('label', { for: id('value') }, 'Value'), value,
        h('span', { class: 'hint', id: `${id('value')}-hint` }, '1 = an ordinary favour'))));
  value.setAttribute('aria-describedby', `${id('value')}-hint`);

  kinds().then((k) => {
    put(kind, ...k.interaction.map((x) => h('option', { value: x }, x)));
    syncKind();
  });

  const others = () => (person ? [person, ...chosen] : chosen);
  // The options that name the people in it, kept in step with the chips.
  function syncPeople() {
    const keepS = starter.value, keepG = giver.value;
    const ppl = others();
    put(starter, h('option', { value: '' }, 'not said'), meId ? h('option', { value: String(meId) }, 'me') : null,
      ppl.map((p) => h('option', { value: String(p.id) }, p.name)));
    put(giver, meId ? h('option', { value: String(meId) }, 'I gave it (given)') : null,
      ppl.map((p) => h('option', { value: String(p.id) }, `${p.name} gave it (received)`)));
    if ([...starter.options].some((o) => o.value === keepS)) starter.value = keepS;
    if ([...giver.options].some((o) => o.value === keepG)) giver.value = keepG;
    put(chips, ...chosen.map((p) => h('li', { class: 'chip' }, h('span', null, p.name),
      h('button', { type: 'button', class: 'chip-x', 'aria-label': `Remove ${p.name}`, onclick: () => { chosen.splice(chosen.indexOf(p), 1); syncPeople(); who.focus(); } }, '×'))));
    chips.hidden = !chosen.length;
  }
  function syncKind() {
    const fav = kind.value === 'favour';
    favourBox.hidden = !fav;
    starterField.hidden = fav; // a favour is started by whoever gives it
  }
  kind.addEventListener('change', syncKind);

  const add = (pid, name) => {
    pid = Number(pid);
    rememberName(pid, name);
    if (pid === meId || (person && person.id === pid) || chosen.some((p) => p.id === pid)) return;
    chosen.push({ id: pid, name });
    syncPeople();
  };

  const form = h('form', { class: 'logform', 'aria-label': person ? `Log an interaction with ${person.name}` : 'Log an interaction', novalidate: true },
    h('div', { class: 'row' },
      h('div', { class: 'field grow' }, h('label', { for: id('who') }, person ? 'Also with' : 'Who'), chips, who,
        h('span', { class: 'hint', id: `${id('who')}-hint` }, '↓ ↑ to choose, Enter to add; add as many as were there')),
      h('div', { class: 'field tight' }, h('label', { for: id('kind') }, 'Kind'), kind),
      h('div', { class: 'field when' }, h('label', { for: id('at') }, 'When'), at,
        h('span', { class: 'hint', id: `${id('at')}-hint` }, 'empty: now'))),
    favourBox,
    h('div', { class: 'row' },
      h('div', { class: 'field grow' }, h('label', { for: id('note') }, 'Note'), note),
      starterField),
    h('div', { class: 'actions' }, submit,
      h('label', { class: 'check' }, priv, 'Private (only you see it; otherwise the team does)')),
    err.el, done);
  syncPeople();
  // (after the form is built: the list goes next to the input)
  combobox(who, {
    types: ['person'],
    onPick: (it, input) => { add(it.id, it.title); input.value = ''; input.dataset.pickedId = ''; err.clear(); },
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    done.textContent = '';
    const typed = who.value.trim();
    const refs = others().map((p) => String(p.id));
    if (typed) refs.push(typed); // the server finds them by name (or says who it could be)
    const fav = kind.value === 'favour';
    const checks = [
      [who, () => (refs.length ? '' : 'Say who it was with.')],
      [at, (v) => (v && Number.isNaN(Date.parse(v)) ? 'That is not a date and time.' : '')],
      [note, check.line('The note')],
    ];
    if (fav) checks.push([value, check.favourValue]);
    if (!validateAll(checks)) return;
    const body = { people: [meId ? String(meId) : 'me', ...refs], kind: kind.value, private: priv.checked };
    if (at.value) body.at = new Date(at.value).toISOString().replace(/\.\d+Z$/, 'Z');
    if (note.value.trim()) body.notes = note.value.trim();
    if (fav) {
      body.giver = giver.value;
      if (value.value.trim()) body.value = Number(value.value);
    } else if (starter.value) body.initiator = starter.value;
    const ix = await submitting(form, err, () => api('/interactions', { method: 'POST', json: body }));
    if (!ix) return;
    const names = ix.people.filter((p) => p !== meId).map((p) => nameOf(p).replace(/^#\d+$/, typed || 'them'));
    const what = fav ? `a favour (${String(ix.giver) === String(meId) ? 'given' : 'received'})` : `a ${ix.kind}`;
    const text = `Logged ${what} with ${names.join(', ')}.`;
    done.textContent = text; // a live region: said once, shown once
    note.value = ''; at.value = ''; priv.checked = false; value.value = '';
    who.value = ''; who.dataset.pickedId = '';
    chosen.splice(0);
    syncPeople();
    (person ? note : who).focus();
    onLogged && onLogged(ix);
  });

  function validateAll(checks) {
    err.clear();
    for (const [control, fn] of checks) {
      const msg = fn(control.value);
      if (msg) { err.show(msg, control); return false; }
    }
    return true;
  }

  // Puts someone in the form (the "Log" buttons of the due list).
  const preset = (pid, name) => { chosen.splice(0); add(pid, name); kind.focus(); form.scrollIntoView({ block: 'nearest' }); };
  return { form, who, note, kind, preset };
}
