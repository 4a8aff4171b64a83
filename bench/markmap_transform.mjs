// markmap-lib's Transformer (the reference for how Markdown becomes a
// mind-map tree), for bench/markmap_side_by_side.sh and for establishing
// the counts in tests/data/corpus_counts/markmap.tsv.
//
//   node markmap_transform.mjs FILE...        per file: FILE NODES MS
//   node markmap_transform.mjs --runs 3 FILE  best of 3 transforms
//   node markmap_transform.mjs --generate N   prints a bushy N-node Markdown
//
// Needs markmap-lib where NODE_PATH points (the script sets it).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Deterministic bushy map: breadth-first, 2-12 children a node; headings
// for the first two levels below the root, nested lists below them; some
// inline markup and links, as students' Markdown has.
function generate(total) {
  const words = ['cold', 'war', 'treaty', 'economy', 'policy', 'soviet', 'union',
    'détente', 'missile', 'crisis', 'berlin', 'wall', 'nato', 'warsaw', 'pact',
    '1945', '1962', 'arms', 'race', 'proxy', 'conflict', 'ideology', 'market',
    'reform', 'Ostpolitik', 'glasnost', 'Kraków', 'São Paulo', '東京'];
  let state = 12345;
  const next = (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const text = () => {
    const n = 2 + next(8);
    const out = [];
    for (let i = 0; i < n; ++i) out.push(words[next(words.length)]);
    const r = next(10);
    if (r === 0) out[0] = `**${out[0]}**`;
    else if (r === 1) out[n - 1] = `[${out[n - 1]}](https://example.org/${next(1000)})`;
    else if (r === 2) out[0] = `\`${out[0]}\``;
    return out.join(' ');
  };
  // Build child counts breadth-first, then print depth-first.
  const children = [[]];
  const queue = [0];
  let count = 1;
  while (count < total) {
    const parent = queue.shift();
    const k = 2 + next(11);
    for (let i = 0; i < k && count < total; ++i) {
      children.push([]);
      children[parent].push(count);
      queue.push(count);
      ++count;
    }
  }
  const lines = [];
  const stack = [[0, 0]];
  while (stack.length > 0) {
    const [id, depth] = stack.pop();
    if (depth <= 2) lines.push(`${'#'.repeat(depth + 1)} ${text()}`);
    else lines.push(`${'  '.repeat(depth - 3)}- ${text()}`);
    const c = children[id];
    for (let i = c.length - 1; i >= 0; --i) stack.push([c[i], depth + 1]);
  }
  return lines.join('\n') + '\n';
}

const args = process.argv.slice(2);
if (args[0] === '--generate') {
  process.stdout.write(generate(Number(args[1])));
  process.exit(0);
}
let runs = 1;
if (args[0] === '--runs') {
  runs = Number(args[1]);
  args.splice(0, 2);
}
const require = createRequire(path.resolve(process.env.NODE_PATH || '.', 'x.js'));
const { Transformer } = require('markmap-lib');
const transformer = new Transformer();
transformer.transform('# warm\n- up\n');
for (const file of args) {
  const text = fs.readFileSync(file, 'utf8');
  let best = Infinity;
  let nodes = 0;
  for (let r = 0; r < runs; ++r) {
    const start = process.hrtime.bigint();
    const { root } = transformer.transform(text);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    nodes = 0;
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop();
      ++nodes;
      for (const child of node.children) stack.push(child);
    }
  }
  console.log(`${file}\t${nodes}\t${best.toFixed(1)}`);
}
