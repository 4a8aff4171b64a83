// The FSRS optimizer of @open-spaced-repetition/binding (fsrs-rs compiled)
// on a review log, and the binding's own evaluation of its parameters and of
// mindcards' parameters on the same items.
//
//   node fsrs_optimizer_side_by_side.mjs REVLOG.csv MINDCARDS_PARAMS.json
//
// Run from the npm prefix that holds the binding. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const B = require('@open-spaced-repetition/binding');

const [csvPath, paramsPath] = process.argv.slice(2);
const opts = { enableShortTerm: true, numRelearningSteps: 1 };

let t = performance.now();
const items = B.convertCsvToFsrsItems(new Uint8Array(readFileSync(csvPath)), 0, 'UTC', () => 0);
const convertS = (performance.now() - t) / 1000;

// The first fit in a process pays a one-time warm-up; do it on a small set.
await B.computeParameters(items.slice(0, Math.min(items.length, 3000)), opts);

t = performance.now();
const w = await B.computeParameters(items, opts);
const fitS = (performance.now() - t) / 1000;

const mc = JSON.parse(readFileSync(paramsPath, 'utf8')).w;
const evBinding = new B.FSRSBinding(w).evaluate(items);
const evMindcards = new B.FSRSBinding(mc).evaluate(items);
console.log(JSON.stringify({
  items: items.length,
  convert_s: convertS,
  fit_s: fitS,
  binding: { w, log_loss: evBinding.logLoss, rmse_bins: evBinding.rmseBins },
  mindcards: { w: mc, log_loss: evMindcards.logLoss, rmse_bins: evMindcards.rmseBins },
  max_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
