// Introductions (#/intros): the requests teammates made of you and those
// you made of them (GET /intro/requests?side=), each with its chain, note
// and dates, moved along asked -> accepted/declined -> made -> outcome, or
// withdrawn by the asker while open (PATCH /intro/requests/{id}).
import { api } from './api.js';
import { h, put, announce, loading, errorBox, plural, dateLabel, pct } from './dom.js';
import { focusHeading } from './nav.js';
import { errorLine, confirmDialog, serverMessage } from './forms.js';
import { chainList } from './chain.js';

export const OUTCOMES = ['met', 'hired', 'deal', 'partnership', 'nothing'];
const OPEN = new Set(['asked', 'accepted']);
const STATUS_BADGE = { asked: 'warn', accepted: 'active', declined: 'bad', made: 'known', withdrawn: 'beyond' };

// The steps a request went through, with their dates.
function steps(r) {
  const step = (label, at, state) => h('li', { class: `step ${state}` }, h('span', { class: 'step-label' }, label),
    at ? h('time', { datetime: at }, dateLabel(at)) : null);
  const out = [step('asked', r.asked_at, 'done')];
  if (r.status === 'withdrawn') out.push(step('withdrawn', r.answered_at || r.outcome_at, 'stopped'));
  else if (r.status === 'declined') out.push(step('declined', r.answered_at, 'stopped'));
  else {
    out.push(step('accepted', r.answered_at, r.answered_at ? 'done' : 'todo'));
    out.push(step('made', r.made_at, r.made_at ? 'done' : 'todo'));
    out.push(step(r.outcome ? `outcome: ${r.outcome}` : 'outcome', r.outcome_at, r.outcome ? 'done' : 'todo'));
  }
  return h('ol', { class: 'steps', 'aria-label': 'Progress' }, out);
}

function requestCard(r, meId, rerender) {
  const toMe = r.asked && r.asked.id === meId;
  const fromMe = r.asker && r.asker.id === meId;
  const err = errorLine();
  const target = h('a', { href: `#/person/${r.to.id}` }, r.to.name || 'someone');
  const head = toMe
    ? [h('strong', null, r.asker.name), ' asks you to introduce them to ', target]
    : [h('strong', null, 'You'), ' asked ', h('strong', null, r.asked.name), ' to introduce you to ', target];
  const move = async (json, done) => {
    err.clear();
    try {
      const u = await api(`/intro/requests/${r.id}`, { method: 'PATCH', json });
      announce(done(u), { visual: true });
      rerender(u);
    } catch (e) { err.show(serverMessage(e)); }
  };
  const btn = (label, cls, fn) => h('button', { type: 'button', class: cls, onclick: fn, dataset: { act: label.toLowerCase().split(' ')[0] } }, label);
  const actions = [];
  if (toMe && r.status === 'asked') {
    actions.push(btn('Accept', '', () => move({ status: 'accepted' }, () => `Accepted: you will introduce ${r.asker.name} to ${r.to.name}.`)));
    actions.push(btn('Decline', 'secondary', () => move({ status: 'declined' }, () => `Declined ${r.asker.name}'s request.`)));
  }
  if (toMe && OPEN.has(r.status)) {
    actions.push(btn('Mark as made', r.status === 'accepted' ? '' : 'secondary', () => move({ status: 'made' },
      () => `Introduction made: logged with ${r.to.name} and ${r.asker.name}, and a favour from you to ${r.asker.name}.`)));
  }
  if (fromMe && OPEN.has(r.status)) {
    actions.push(btn('Withdraw', 'secondary danger-text', async () => {
      if (!(await confirmDialog(`Withdraw your request to ${r.asked.name}?`, { confirm: 'Withdraw', detail: `You asked to meet ${r.to.name}. ${r.asked.name} will see it withdrawn.` }))) return;
      move({ status: 'withdrawn' }, () => 'Request withdrawn.');
    }));
  }
  let outcomeForm = null;
  if (r.status === 'made' && !r.outcome) {
    const id = `outcome-${r.id}`;
    const sel = h('select', { id }, h('option', { value: '' }, 'choose…'), OUTCOMES.map((o) => h('option', { value: o }, o)));
    outcomeForm = h('form', { class: 'outcome-form', 'aria-label': 'What came of it' },
      h('div', { class: 'field tight' }, h('label', { for: id }, 'What came of it'), sel),
      h('button', { type: 'submit', class: 'secondary' }, 'Record the outcome'));
    outcomeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!sel.value) { err.show('Choose what came of it.', sel); return; }
      move({ outcome: sel.value }, () => `Outcome recorded: ${sel.value}.`);
    });
  }
  return h('li', { class: 'request', id: `request-${r.id}`, tabindex: '-1', dataset: { id: String(r.id), status: r.status } },
    h('div', { class: 'request-head' }, h('p', null, ...head),
      h('span', { class: `badge ${STATUS_BADGE[r.status] || ''}` }, r.status), r.outcome ? [' ', h('span', { class: 'badge active' }, r.outcome)] : null),
    h('div', { class: 'small muted' }, `Chain when asked · strength ${pct(r.strength)}`),
    chainList(r.chain || []),
    r.note ? h('blockquote', { class: 'request-note' }, r.note) : null,
    steps(r),
    r.status === 'made' && toMe ? h('p', { class: 'small muted' }, `Logged as an introduction, and a favour from you to ${r.asker.name}.`) : null,
    actions.length || outcomeForm ? h('div', { class: 'actions' }, actions, outcomeForm) : null,
    err.el);
}

export async function introsScreen(ctx) {
  const { root, session } = ctx;
  ctx.setTitle('Introductions');
  const meId = session.me.id;
  const toBox = h('div', { id: 'intros-to-me', 'aria-busy': 'true', 'aria-live': 'polite' }, loading());
  const fromBox = h('div', { id: 'intros-from-me', 'aria-busy': 'true', 'aria-live': 'polite' }, loading());
  const toCount = h('small', null), fromCount = h('small', null);
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Introductions'),
      h('p', null, 'Introductions teammates asked of you, and those you asked for: answer, make them, and say what came of them.')),
    h('div', { class: 'grid' },
      h('section', { class: 'panel span-6', 'aria-labelledby': 'to-me-title' }, h('h2', { id: 'to-me-title' }, 'Asked of you', toCount), toBox),
      h('section', { class: 'panel span-6', 'aria-labelledby': 'from-me-title' }, h('h2', { id: 'from-me-title' }, 'You asked', fromCount), fromBox)));
  focusHeading(root);

  // A card, replaced by the request's new state after each move, with
  // focus on its next action (or the card).
  const render = (x) => {
    const card = requestCard(x, meId, (u) => {
      const next = render(u);
      card.replaceWith(next);
      recount();
      (next.querySelector('.actions button, .actions select') || next).focus();
    });
    return card;
  };
  // "2 requests, 1 open" in each heading, from the cards shown.
  const recount = () => {
    for (const [box, count] of [[toBox, toCount], [fromBox, fromCount]]) {
      const cards = [...box.querySelectorAll('li.request')];
      const open = cards.filter((c) => OPEN.has(c.dataset.status)).length;
      count.textContent = cards.length ? `${plural(cards.length, 'request')}${open ? `, ${open} open` : ''}` : '';
    }
  };
  const fill = async (box, side, empty) => {
    try {
      const d = await api('/intro/requests', { params: { side } });
      if (!ctx.alive()) return;
      const items = d.items || [];
      put(box, items.length ? h('ul', { class: 'list requests' }, items.map(render)) : empty);
      recount();
    } catch (e) { if (ctx.alive()) put(box, errorBox(e)); }
    box.setAttribute('aria-busy', 'false');
  };
  await Promise.all([
    fill(toBox, 'to_me', h('p', { class: 'empty' }, 'Nobody has asked you for an introduction yet. When a teammate needs someone you know, it shows here.')),
    fill(fromBox, 'from_me', h('div', { class: 'empty-state' },
      h('p', null, 'You have not asked for an introduction yet. Find who in the team knows the way to someone under ',
        h('a', { href: '#/intro' }, 'Way to anyone'), ', or into a company from its page under ', h('a', { href: '#/orgs' }, 'Organisations'),
        ', and ask the teammate best placed.'))),
  ]);
}
