// ts-fsrs 5.4.2 on the review stream that bench/fsrs_bench.cc replays.
//
//   node fsrs_side_by_side.mjs STREAM.csv [--write]
//
// With --write, simulates a deterministic review stream (mulberry32 seed
// 20261126: 4,000 cards, 20 reviews each, ratings 10% Again / 15% Hard /
// 60% Good / 15% Easy, reviews from early to late around the due time) and
// writes it to STREAM.csv, one review per line: the card before the review,
// the review time and the rating. Then times ts-fsrs on every line of the
// stream: next() (one outcome), repeat() (all four) and next_state() (the
// memory transition alone), and prints one JSON line of results, with a
// checksum of the outcomes that the C++ benchmark prints too.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Resolve ts-fsrs from the working directory (the script's npm prefix).
const require = createRequire(process.cwd() + '/');
const { fsrs, createEmptyCard, FSRSVersion } = require('ts-fsrs');

const [, , streamPath, ...rest] = process.argv;
const write = rest.includes('--write');

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f = fsrs({ enable_fuzz: false });
const HEADER = 'due,stability,difficulty,elapsed_days,scheduled_days,learning_steps,reps,lapses,state,last_review,now,rating';

if (write) {
  const rnd = mulberry32(20261126);
  const lines = [HEADER];
  const t0 = Date.UTC(2025, 0, 1);
  for (let c = 0; c < 4000; c++) {
    let card = createEmptyCard(new Date(t0 + Math.floor(rnd() * 86400000 * 30)));
    let now = card.due.getTime();
    for (let k = 0; k < 20; k++) {
      const u = rnd();
      const g = u < 0.1 ? 1 : u < 0.25 ? 2 : u < 0.85 ? 3 : 4;
      const last = card.last_review ? card.last_review.getTime() : '';
      lines.push([card.due.getTime(), card.stability, card.difficulty, card.elapsed_days, card.scheduled_days,
        card.learning_steps, card.reps, card.lapses, card.state, last, now, g].join(','));
      card = f.next(card, new Date(now), g).card;
      const ivl = card.due.getTime() - now;
      // Review between 30% early and 100% late, never before the last review.
      now = now + Math.max(0, Math.floor(ivl * (0.7 + rnd() * 1.3)));
    }
  }
  writeFileSync(streamPath, lines.join('\n') + '\n');
}

const rows = readFileSync(streamPath, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const cards = [], times = [], grades = [];
for (const r of rows) {
  cards.push({
    due: new Date(+r[0]), stability: +r[1], difficulty: +r[2], elapsed_days: +r[3], scheduled_days: +r[4],
    learning_steps: +r[5], reps: +r[6], lapses: +r[7], state: +r[8], last_review: r[9] === '' ? undefined : new Date(+r[9]),
  });
  times.push(new Date(+r[10]));
  grades.push(+r[11]);
}
const n = cards.length;

// Throughput per second of CPU time (user + system of this process), like
// Google Benchmark's CPU column, so that a busy machine does not skew the
// comparison; wall-clock throughput is reported too.
function time(label, body) {
  body(); // warm up
  let iters = 0;
  const wall0 = process.hrtime.bigint(); const cpu0 = process.cpuUsage();
  let cpu = 0;
  while (cpu < 1.0) {
    body(); iters++;
    const c = process.cpuUsage(cpu0); cpu = (c.user + c.system) / 1e6;
  }
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  return { label, per_cpu_second: (iters * n) / cpu, per_wall_second: (iters * n) / wall };
}

let checksum = 0;
for (let i = 0; i < n; i++) {
  const c = f.next(cards[i], times[i], grades[i]).card;
  checksum = (checksum + c.due.getTime() % 1000003 + Math.round(c.stability * 1e8) % 1000003) % 1000000007;
}
const results = [
  time('next', () => { for (let i = 0; i < n; i++) f.next(cards[i], times[i], grades[i]); }),
  time('repeat', () => { for (let i = 0; i < n; i++) f.repeat(cards[i], times[i]); }),
  time('next_state', () => {
    for (let i = 0; i < n; i++) {
      const c = cards[i];
      const t = c.state === 0 || !c.last_review ? 0
        : Math.floor(times[i].getTime() / 86400000) - Math.floor(c.last_review.getTime() / 86400000);
      f.next_state(c.state === 0 ? null : { difficulty: c.difficulty, stability: c.stability }, t, grades[i]);
    }
  }),
];
console.log(JSON.stringify({ tool: FSRSVersion, node: process.version, reviews: n, checksum, results }));
