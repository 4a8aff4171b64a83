// Building the page without ever parsing map text as HTML: every text goes
// in through textContent or an attribute set by name, never as markup.
const SVG_NS = 'http://www.w3.org/2000/svg';

// el('li', {class: 'x'}, 'text', child...) -> HTMLElement.
export function el(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

// The same for SVG elements.
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      node.addEventListener(k.slice(2), v);
    } else if (k === 'text') {
      node.textContent = String(v);
    } else {
      node.setAttribute(k, String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function $(id) { return document.getElementById(id); }

let statusTimer = 0;
// Shows a message in the header; errors stay until the next message. With
// an action ({label, run}) a button follows the message for 15 seconds
// (e.g. Undo after a delete).
export function status(message, isError = false, action = null) {
  const s = $('status');
  s.textContent = message;
  s.classList.toggle('error', isError);
  s.title = message;
  clearTimeout(statusTimer);
  if (action) {
    s.append(' ', el('button', { id: 'status-action', type: 'button', text: action.label, onclick: () => { s.textContent = ''; action.run(); } }));
  }
  if (!isError && message) statusTimer = setTimeout(() => { s.textContent = ''; }, action ? 15000 : 4000);
}
