// The timeline of a map's dates and the study statistics, with charts drawn
// as inline SVG.
import { get } from './api.js';
import { $, el, svg, clear } from './dom.js';

export async function showTimeline(mapId, onPick) {
  const body = clear($('timeline').querySelector('tbody'));
  if (!mapId) return;
  const data = await get(`/api/maps/${mapId}/timeline`);
  $('timeline-empty').hidden = data.events.length > 0;
  for (const ev of data.events) {
    body.append(el('tr', { 'data-node': ev.node, onclick: () => onPick(ev.node) },
      el('td', { text: ev.date }), el('td', { text: ev.text }), el('td', { text: ev.path.join(' \u203a ') })));
  }
}

function barChart(days, { width = 640, height = 160, label = (d) => d.date.slice(5) } = {}) {
  const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const max = Math.max(1, ...days.map((d) => d.count));
  const pad = 24, w = Math.min(40, (width - 2 * pad) / Math.max(1, days.length));
  chart.append(svg('text', { class: 'axis', x: 2, y: 12, text: `max ${max}` }));
  days.forEach((d, i) => {
    const h = ((height - 2 * pad) * d.count) / max;
    const bar = svg('rect', { class: 'bar', x: pad + i * w + 1, y: height - pad - h, width: Math.max(1, w - 2), height: h });
    bar.append(svg('title', { text: `${d.date}: ${d.count}` }));
    chart.append(bar);
    if (days.length <= 31 && (i % Math.ceil(days.length / 10) === 0)) {
      chart.append(svg('text', { class: 'axis', x: pad + i * w, y: height - 8, text: label(d) }));
    }
  });
  if (days.length === 0) chart.append(svg('text', { class: 'axis', x: width / 2 - 30, y: height / 2, text: 'no data yet' }));
  return chart;
}

function gauge(value) {
  const width = 640, height = 40;
  const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  chart.append(svg('rect', { x: 0, y: 10, width, height: 20, fill: '#eceff2' }));
  if (value !== null) {
    chart.append(svg('rect', { class: 'bar', x: 0, y: 10, width: width * value, height: 20 }));
    chart.append(svg('text', { x: 6, y: 25, fill: '#fff', 'font-size': 13, text: `${(value * 100).toFixed(1)}% of reviews recalled` }));
  } else {
    chart.append(svg('text', { class: 'axis', x: 6, y: 25, text: 'no reviews of graduated cards yet' }));
  }
  return chart;
}

export async function showStats(mapId) {
  const q = mapId ? `?map=${mapId}` : '';
  const s = await get(`/api/stats${q}`);
  const nums = clear($('stats-numbers'));
  const items = [['cards', s.cards], ['new', s.new], ['learning', s.learning], ['review', s.review],
    ['due now', s.due_now], ['reviews', s.reviews], ['new today', s.new_today]];
  for (const [k, v] of items) nums.append(el('div', {}, el('b', { text: v }), k));
  const last = s.reviews_per_day.slice(-30);
  clear($('chart-reviews')).append(barChart(last));
  clear($('chart-retention')).append(gauge(s.retention));
  clear($('chart-forecast')).append(barChart(s.due_forecast));
}
