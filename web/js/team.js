// The team (#/team): its members and, for the owner, adding members and
// issuing or revoking their tokens; and exporting the network as you see
// it, in each format.
import { api, rememberName, forgetKinds } from './api.js';
import { h, put, clear, announce, loading, errorBox, plural, dateLabel } from './dom.js';
import { focusHeading } from './nav.js';
import { field, errorLine, validate, check, submitting, confirmDialog, serverMessage } from './forms.js';
import { combobox } from './combobox.js';

const FORMATS = [
  ['vcard', 'vCard', 'kith.vcf', 'every person, for an address book'],
  ['csv', 'CSV', 'kith.csv', 'people as a spreadsheet'],
  ['json', 'JSON', 'kith.json', 'everything you can see, to keep or process'],
  ['graphml', 'GraphML', 'kith.graphml', 'the network, for Gephi or yEd'],
  ['dot', 'Graphviz', 'kith.dot', 'the network, for dot'],
];

// Downloads an export through the API (it needs the token, so a plain
// link cannot): fetched, then saved from a blob.
async function download(fmt, name, status) {
  status.textContent = `Preparing ${name}…`;
  try {
    const res = await api('/export', { params: { format: fmt }, raw: true });
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status.textContent = `${name}: ${blob.size.toLocaleString('en')} bytes.`;
    status.dataset.done = fmt;
    announce(`Exported ${name}.`);
  } catch (e) { status.textContent = ''; status.append(errorBox(e)); }
}

function tokenShown(t, who) {
  const code = h('code', { id: 'new-token', class: 'token' }, t);
  const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try { await navigator.clipboard.writeText(t); announce('Copied.', { visual: true }); } catch (e) { announce('Select the token and copy it.', { visual: true }); }
  } }, 'Copy');
  return h('div', { class: 'token-box', role: 'status' },
    h('p', null, h('strong', null, `${who}'s token`), ' — shown this once; give it to them privately:'), h('p', null, code, ' ', copy));
}

export async function teamScreen(ctx) {
  const { root, session } = ctx;
  ctx.setTitle('Team');
  const membersBox = h('div', { 'aria-busy': 'true', 'aria-live': 'polite' }, loading());
  const exportStatus = h('div', { id: 'export-status', class: 'small', 'aria-live': 'polite' });
  const exportList = h('ul', { class: 'list', id: 'export-list' }, FORMATS.map(([fmt, label, file, what]) => h('li', null,
    h('div', { class: 'main' }, h('span', { class: 'name' }, label), h('div', { class: 'meta' }, what)),
    h('div', { class: 'side' }, h('button', { type: 'button', class: 'secondary', id: `export-${fmt}`, 'aria-label': `Export as ${label}`, onclick: () => download(fmt, file, exportStatus) }, 'Download')))));
  const kindsBox = h('div', { id: 'kinds', 'aria-live': 'polite' }, loading());
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Team'), h('p', null, 'Who shares this network, the kinds it uses, and your data to take away.')),
    h('div', { class: 'grid' },
      h('section', { class: 'panel span-7', 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title' }, 'Members'), membersBox),
      h('section', { class: 'panel span-5', 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title' }, 'Export'),
        h('p', { class: 'small muted' }, 'What you can see: other members’ private records are never in it.'), exportList, exportStatus),
      h('section', { class: 'panel span-12', 'aria-labelledby': 'kinds-title' }, h('h2', { id: 'kinds-title' }, 'Kinds of links and interactions'), kindsBox)));
  focusHeading(root);

  const load = async () => {
    try {
      const d = await api('/members');
      if (!ctx.alive()) return;
      const items = d.items || [];
      const me = items.find((m) => m.id === session.me.id);
      // The owner: said by the list, or found by asking for one's own
      // tokens (owner-only: 403 for everyone else).
      let owner = !!(me && me.owner);
      if (me && me.owner === undefined) owner = await api(`/members/${me.id}/tokens`).then(() => true, () => false);
      if (owner && me) me.owner = true;
      if (!ctx.alive()) return;
      const list = h('ul', { class: 'list', id: 'members-list' }, items.map((m) => {
        const pid = m.person && typeof m.person === 'object' ? m.person.id : m.person;
        const tokensBox = h('div', { class: 'tokens' });
        const row = h('li', null,
          h('div', { class: 'main' }, h('span', { class: 'name' }, m.name), m.id === session.me.id ? [' ', h('span', { class: 'badge' }, 'you')] : null,
            m.owner ? [' ', h('span', { class: 'badge active' }, 'owner')] : null,
            h('div', { class: 'meta' }, pid ? [h('a', { href: `#/person/${pid}` }, 'their person'), ' · '] : null,
              h('a', { href: `#/leaves?member=${m.id}` }, 'what leaves with them')), tokensBox),
          owner ? h('div', { class: 'side row-actions' },
            h('button', { type: 'button', class: 'quiet', 'aria-label': `Tokens of ${m.name}`, onclick: () => showTokens(m, tokensBox) }, 'Tokens'),
            m.id !== session.me.id ? h('button', { type: 'button', class: 'quiet', 'aria-label': `Remove ${m.name} from the team`, onclick: () => removeMember(m) }, 'Remove') : null) : null);
        return row;
      }));
      put(membersBox, h('p', { class: 'small muted' }, plural(items.length, 'member')), list);
      if (items.length === 1) membersBox.append(h('p', { class: 'empty-state' }, 'You are on your own so far. ', owner ? 'Add a member below to share the network.' : 'The team’s owner can add members.'));
      if (owner) membersBox.append(addMemberForm());
      else membersBox.append(h('p', { class: 'small muted', id: 'not-owner' }, 'Only the team’s owner adds members and manages tokens.'));
    } catch (e) { if (ctx.alive()) put(membersBox, errorBox(e)); }
    membersBox.setAttribute('aria-busy', 'false');
  };

  const memberErr = errorLine();
  async function removeMember(m) {
    if (!(await confirmDialog(`Remove ${m.name} from the team?`, { confirm: 'Remove', detail: 'Their tokens stop working at once. Their person and records stay.' }))) return;
    try { await api(`/members/${m.id}`, { method: 'DELETE' }); announce(`${m.name} removed.`, { visual: true }); load(); } catch (e) { memberErr.show(serverMessage(e)); }
  }

  async function showTokens(m, box) {
    put(box, loading());
    const err = errorLine();
    try {
      const d = await api(`/members/${m.id}/tokens`);
      const items = d.items || [];
      const newBtn = h('button', { type: 'button', class: 'secondary', id: `new-token-${m.id}` }, 'New token');
      const shown = h('div');
      newBtn.addEventListener('click', async () => {
        try {
          const t = await api(`/members/${m.id}/tokens`, { method: 'POST', json: { label: 'web' } });
          put(shown, tokenShown(t.token, m.name));
          announce('New token made.', { visual: true });
        } catch (e) { err.show(serverMessage(e)); }
      });
      put(box, h('ul', { class: 'list small', id: `tokens-${m.id}` }, items.map((t) => h('li', null,
        h('div', { class: 'main' }, `#${t.id}${t.label ? ` · ${t.label}` : ''}`, t.revoked ? [' ', h('span', { class: 'badge bad' }, 'revoked')] : null,
          h('div', { class: 'meta' }, [t.created ? `made ${dateLabel(t.created)}` : null, t.last_used ? `last used ${dateLabel(t.last_used)}` : 'never used'].filter(Boolean).join(' · '))),
        t.revoked ? null : h('div', { class: 'side' }, h('button', { type: 'button', class: 'quiet', 'aria-label': `Revoke token #${t.id} of ${m.name}`, onclick: async () => {
          if (!(await confirmDialog(`Revoke token #${t.id} of ${m.name}?`, { confirm: 'Revoke', detail: 'Whoever uses it is signed out at once.' }))) return;
          try { await api(`/tokens/${t.id}`, { method: 'DELETE' }); announce('Token revoked.', { visual: true }); showTokens(m, box); } catch (e) { err.show(serverMessage(e)); }
        } }, 'Revoke'))))), h('div', { class: 'actions' }, newBtn), shown, err.el);
    } catch (e) { put(box, errorBox(e)); }
  }

  function addMemberForm() {
    const err = errorLine();
    const [nameF, name] = field('member-name', 'Name', h('input', { type: 'text', placeholder: 'e.g. jo' }), { hint: 'what they are called in the team' });
    const [personF, person] = field('member-person', 'Their person (optional)', h('input', { type: 'text', placeholder: 'Start typing; empty makes a new one' }));
    combobox(person, { types: ['person'], onPick: (it, input) => { input.value = it.title; input.dataset.pickedId = String(it.id); rememberName(it.id, it.title); } });
    const out = h('div', { id: 'member-added' });
    const form = h('form', { 'aria-label': 'Add a member', novalidate: true, id: 'add-member' },
      h('h3', null, 'Add a member'), h('div', { class: 'row' }, nameF, personF),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add member')), err.el, out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!validate(err, [[name, check.name('A name')]])) return;
      const body = { name: name.value.trim() };
      if (person.value.trim()) body.person = person.dataset.pickedId || person.value.trim();
      const r = await submitting(form, err, () => api('/members', { method: 'POST', json: body }));
      if (!r) return;
      const who = name.value.trim();
      name.value = ''; person.value = ''; person.dataset.pickedId = '';
      await load();
      const again = document.getElementById('member-added');
      if (again) put(again, tokenShown(r.token, who));
    });
    return h('div', null, memberErr.el, form);
  }

  const loadKinds = async () => {
    try {
      const k = await api('/kinds');
      if (!ctx.alive()) return;
      const list = (xs, extra) => h('ul', { class: 'kind-list' }, xs.map((x) => h('li', null, h('span', { class: 'kindtag' }, x.name), ' ', x.description || '', extra(x))));
      const err = errorLine();
      const [domF, dom] = field('kind-domain', 'For', h('select', null, h('option', { value: 'interaction' }, 'interactions'), h('option', { value: 'link' }, 'links')), { cls: 'tight' });
      const [nameF, name] = field('kind-name', 'Name', h('input', { type: 'text', placeholder: 'e.g. workshop' }), { hint: 'a lower-case word: a-z, 0-9, - and _' });
      const [descF, desc] = field('kind-desc', 'Description', h('input', { type: 'text' }));
      const [weightF, weight] = field('kind-weight', 'Weight', h('input', { type: 'number', min: 0.001, max: 10, step: 'any', value: '1' }), { hint: 'a meeting is 1, an email 0.3', cls: 'tight' });
      const directed = h('input', { type: 'checkbox', id: 'kind-directed' });
      const dirF = h('div', { class: 'field tight check-field', hidden: true }, h('label', { class: 'check' }, directed, 'One way (a → b)'));
      dom.addEventListener('change', () => { weightF.hidden = dom.value !== 'interaction'; dirF.hidden = dom.value !== 'link'; });
      const form = h('form', { id: 'kind-form', 'aria-label': 'Add a kind', novalidate: true },
        h('h3', null, 'Add a kind'), h('div', { class: 'row' }, domF, nameF, descF, weightF, dirF),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add kind')), err.el);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const ok = validate(err, [[name, (v) => (/^[a-z][a-z0-9_-]{0,31}$/.test(v.trim()) ? '' : `'${v.trim()}' is not a kind name (a lower-case word: a-z, 0-9, - and _).`)],
          [desc, check.line('The description')],
          [weight, (v) => (dom.value !== 'interaction' || (Number(v) > 0 && Number(v) <= 10) ? '' : "An interaction kind's weight must be more than 0 and at most 10.")]]);
        if (!ok) return;
        const body = { domain: dom.value, name: name.value.trim(), description: desc.value.trim() };
        if (dom.value === 'interaction') body.weight = Number(weight.value); else body.directed = directed.checked;
        const r = await submitting(form, err, () => api('/kinds', { method: 'POST', json: body }));
        if (!r) return;
        forgetKinds();
        announce(`Added the kind ${body.name}.`, { visual: true });
        loadKinds();
      });
      put(kindsBox, h('div', { class: 'grid' },
        h('div', { class: 'span-6' }, h('h3', null, 'Interactions'), list(k.interaction || [], (x) => h('span', { class: 'muted small' }, ` · weight ${x.weight}`))),
        h('div', { class: 'span-6' }, h('h3', null, 'Links'), list(k.link || [], (x) => (x.directed ? h('span', { class: 'muted small' }, ' · one way') : null)))),
      form);
    } catch (e) { if (ctx.alive()) put(kindsBox, errorBox(e)); }
  };

  await Promise.all([load(), loadKinds()]);
}
