// Paste a payload: decode and verify any body in this browser; the secret never leaves it.

import { callCore, verify } from '../lib/core.js';
import { $, errorLine, h, utc } from '../lib/dom.js';
import { renderBody } from '../lib/payload.js';

function onSubmit(event) {
  event.preventDefault();
  const out = $('paste-out');
  const body = $('paste-body').value.trim();
  if (!body) {
    out.replaceChildren(errorLine('Paste a payload body first.', 'paste-error'));
    return;
  }
  const nodes = renderBody(body, 'paste');
  const secret = $('paste-secret').value.trim();
  // The otp verdict goes right after the hash verdict, and only if the body decoded at all.
  const hashAt = nodes.findIndex((n) => n.dataset && n.dataset.testid === 'paste-hash');
  if (secret && hashAt >= 0) nodes.splice(hashAt + 1, 0, otpVerdict(body, secret));
  out.replaceChildren(...nodes);
}

/** The otp check needs the secret, which stays in this browser. */
function otpVerdict(body, secretHex) {
  const timeText = $('paste-time').value.trim();
  const at = timeText === '' ? Math.floor(Date.now() / 1000) : Number(timeText);
  const drift = Number($('paste-drift').value || '1');
  if (!Number.isInteger(drift) || drift < 0 || drift > 60) {
    return errorLine('The drift must be a whole number of steps from 0 to 60.', 'paste-otp-error');
  }
  let result;
  try {
    result = callCore(verify, body, secretHex, at, drift);
  } catch (error) {
    return errorLine(`The otp cannot be checked: ${error.message}`, 'paste-otp-error');
  }
  const when = `at ${utc(at * 1000)} ±${drift} step${drift === 1 ? '' : 's'}`;
  if (result.ok) {
    return h('p', { class: 'verdict ok', testid: 'paste-otp', 'data-ok': 'true' },
      h('span', { 'aria-hidden': 'true' }, '✓ '),
      `otp verified with the secret ${when} (matched step offset ${result.stepOffset}).`);
  }
  return h('p', { class: 'verdict bad', testid: 'paste-otp', 'data-ok': 'false' },
    h('span', { 'aria-hidden': 'true' }, '✗ '), `Not verified ${when}: ${result.message}.`);
}

export function wire() {
  $('paste-form').addEventListener('submit', onSubmit);
}

export default { id: 'paste', load: () => {}, wire };
