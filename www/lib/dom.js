// DOM helpers shared by every view. Untrusted text only ever reaches the DOM through text nodes
// (createElement + append/textContent): no HTML parsing anywhere, no inline style (the CSP
// forbids it; classes in style.css instead).

export const $ = (id) => document.getElementById(id);

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'testid') node.setAttribute('data-testid', value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * Creates an HTML element. `props` sets attributes (`testid` → data-testid, `class`, `on<event>`
 * handlers); children are nodes or strings, and strings become text nodes — never markup.
 */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG elements (`createElementNS`); strings become text nodes here too. */
export function s(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

export function show(node, visible) {
  node.hidden = !visible;
}

export function setMessage(node, text) {
  node.textContent = text ?? '';
  show(node, Boolean(text));
}

export const stateLine = (text, testid) => h('p', { class: 'state', role: 'status', testid }, text);
export const errorLine = (text, testid) => h('p', { class: 'error', role: 'alert', testid }, text);

/** Unix milliseconds as an unambiguous UTC timestamp. */
export function utc(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A definition list of [term, value] pairs; values are text unless they are nodes. */
export function factList(pairs, testid) {
  return h('dl', { class: 'facts', testid },
    pairs.map(([term, value, id]) => [h('dt', {}, term),
      h('dd', { testid: id }, value instanceof Node ? value : String(value ?? '—'))]));
}

export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
