// The Settings view: the scheduler's FSRS parameters (personal or default),
// the fit that made them, and buttons to fit them from the review log or go
// back to the defaults (docs/api.md, "Scheduler settings").
import { get, post, del } from './api.js';
import { $, el, clear, status } from './dom.js';

const fmt = (x, digits) => (typeof x === 'number' ? x.toFixed(digits) : '—');

function render(s) {
  const box = clear($('settings-body'));
  box.append(el('p', { id: 'settings-kind', text: `Scheduler: ${s.description}.` }));
  if (s.warning) box.append(el('p', { class: 'error', text: s.warning }));
  const p = s.parameters;
  box.append(el('p', { text: `Desired retention: ${fmt(p.request_retention, 2)}; maximum interval: ${p.maximum_interval} days.` }));
  const table = el('table', { id: 'settings-weights' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Weight' }), el('th', { text: 'In use' }), el('th', { text: 'Default' }))));
  const body = el('tbody');
  p.w.forEach((w, i) => {
    body.append(el('tr', {}, el('td', { text: `w${i}` }), el('td', { text: fmt(w, 4) }),
      el('td', { text: fmt(s.default_w[i], 4) })));
  });
  table.append(body);
  box.append(table);
  const f = s.fit;
  if (f) {
    box.append(el('p', { id: 'settings-fit', text:
      `Fitted ${f.date} on ${f.reviews} reviews of ${f.cards} cards: log loss ${fmt(f.log_loss, 4)} ` +
      `(defaults ${fmt(f.default_log_loss, 4)}), RMSE(bins) ${fmt(f.rmse_bins, 4)} (defaults ${fmt(f.default_rmse_bins, 4)}).` }));
  }
  $('settings-reset').disabled = !s.personal;
}

export async function showSettings() {
  render(await get('/api/settings/fsrs'));
}

export function init() {
  $('settings-optimize').addEventListener('click', async () => {
    const b = $('settings-optimize');
    b.disabled = true;
    status('Fitting the parameters to your reviews…');
    try {
      render(await post('/api/settings/fsrs/optimize', {}));
      status('Personal parameters fitted and in use.');
    } catch (e) {
      status(e.message, true);
    } finally {
      b.disabled = false;
    }
  });
  $('settings-reset').addEventListener('click', async () => {
    try {
      render(await del('/api/settings/fsrs'));
      status('Back to the default parameters.');
    } catch (e) {
      status(e.message, true);
    }
  });
}
