// Next payload: the exact body the next send would carry, decoded here.

import { api } from '../lib/api.js';
import { $, errorLine, stateLine } from '../lib/dom.js';
import { renderBody } from '../lib/payload.js';

export async function load() {
  const out = $('preview-out');
  out.replaceChildren(stateLine('Loading the next payload…', 'preview-loading'));
  let answer;
  try {
    answer = await api('GET', '/preview');
  } catch (error) {
    out.replaceChildren(errorLine(error.message, 'preview-error'));
    return;
  }
  if (!answer || answer.body === null) {
    out.replaceChildren(stateLine('No rows are pending: the next send would carry nothing.', 'preview-empty'));
    return;
  }
  out.replaceChildren(...renderBody(answer.body, 'preview'));
}

export function wire() {
  $('preview-refresh').addEventListener('click', load);
}

export default { id: 'preview', load, wire };
