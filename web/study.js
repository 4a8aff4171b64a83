// Studying: the due queue of one map, one card at a time. Type an answer
// (graded by the server) or reveal, then rate 1-4; each rating button shows
// the interval it would give.
import { get, post } from './api.js';
import { $, el, clear, status } from './dom.js';

const s = { mapId: 0, queue: [], card: null, shownAt: 0, answer: '', done: 0, answered: false, active: false };

export async function start(mapId) {
  s.mapId = mapId;
  s.active = true;
  await refill();
  show();
}

export function stop() { s.active = false; }

async function refill() {
  if (!s.mapId) { s.queue = []; return; }
  const data = await get(`/api/study/due?map=${s.mapId}&limit=20`);
  s.queue = data.cards;
}

function show() {
  s.card = s.queue.shift() || null;
  s.answered = false;
  s.answer = '';
  $('study-card').hidden = !s.card;
  $('study-empty').hidden = !!s.card;
  $('study-progress').textContent = s.done ? `${s.done} reviewed in this session` : '';
  if (!s.card) return;
  const c = s.card;
  $('study-card').dataset.card = c.id;
  const ctx = clear($('study-context'));
  for (const part of c.context) ctx.append(el('li', { text: part }));
  $('study-front').textContent = c.front;
  const choices = clear($('study-choices'));
  for (const choice of c.choices) {
    choices.append(el('button', { type: 'button', text: choice, onclick: () => { $('study-answer').value = choice; check(); } }));
  }
  $('study-result').hidden = true;
  $('study-form').hidden = false;
  const input = $('study-answer');
  input.value = '';
  input.disabled = false;
  input.placeholder = c.hint ? `Type your answer (${c.hint}), then Enter` : 'Type your answer, then Enter';
  const buttons = $('study-ratings').querySelectorAll('button');
  buttons.forEach((b, i) => {
    b.classList.remove('suggested');
    b.querySelector('small').textContent = c.intervals ? c.intervals[i] : '';
  });
  s.shownAt = performance.now();
  input.focus();
}

async function check() {
  if (!s.card || s.answered) return;
  const answer = $('study-answer').value.trim();
  s.answer = answer;
  s.answered = true;
  $('study-answer').disabled = true;
  const grade = $('study-grade');
  grade.className = '';
  if (answer === '') {
    grade.textContent = 'Revealed. How well did you know it?';
  } else {
    try {
      const g = await post('/api/grade', { map: s.mapId, card_id: s.card.id, answer });
      grade.textContent = g.feedback || (g.correct ? 'Correct' : 'Not quite');
      grade.className = g.correct ? 'correct' : (g.score > 0 ? '' : 'wrong');
      if (g.suggested_rating) {
        $('study-ratings').querySelector(`[data-rating="${g.suggested_rating}"]`).classList.add('suggested');
      }
    } catch (e) {
      status(e.message, true);
    }
  }
  $('study-back').textContent = s.card.back;
  $('study-result').hidden = false;
  $('study-ratings').querySelector('.suggested, [data-rating="3"]').focus();
}

async function rate(rating) {
  if (!s.card || !s.answered) return;
  const card = s.card;
  s.card = null;
  try {
    const r = await post('/api/reviews', {
      map: s.mapId, card_id: card.id, rating, answer: s.answer,
      duration_ms: Math.round(performance.now() - s.shownAt),
    });
    s.done++;
    status(`Next review of that card in ${r.interval}.`);
  } catch (e) {
    status(e.message, true);
  }
  if (s.queue.length === 0) await refill().catch((e) => status(e.message, true));
  // A card rated Again may come straight back: don't show it twice in a row.
  if (s.queue.length && s.queue[0].id === card.id && s.queue.length > 1) s.queue.push(s.queue.shift());
  show();
}

export function setup() {
  $('study-form').addEventListener('submit', (e) => { e.preventDefault(); check(); });
  $('study-reveal').addEventListener('click', () => { $('study-answer').value = ''; check(); });
  for (const b of $('study-ratings').querySelectorAll('button')) {
    b.addEventListener('click', () => rate(Number(b.dataset.rating)));
  }
  document.addEventListener('keydown', (e) => {
    if (!s.active || !s.answered || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key >= '1' && e.key <= '4') { e.preventDefault(); rate(Number(e.key)); }
  });
}
