// Delete all analytics data, after a typed confirmation.

import { api } from '../lib/api.js';
import { $ } from '../lib/dom.js';

function onInput() {
  $('delete-submit').disabled = $('delete-confirm').value !== 'DELETE';
}

async function onSubmit(event) {
  event.preventDefault();
  const state = $('delete-state');
  if ($('delete-confirm').value !== 'DELETE') {
    state.textContent = 'Type DELETE to confirm.';
    return;
  }
  state.textContent = 'Deleting…';
  try {
    const answer = await api('POST', '/delete-all', { confirm: 'DELETE' });
    state.textContent = `Deleted ${answer.deleted} record${answer.deleted === 1 ? '' : 's'}.`;
    $('delete-confirm').value = '';
    onInput();
  } catch (error) {
    state.textContent = `Nothing was deleted: ${error.message}`;
  }
}

export function wire() {
  $('delete-confirm').addEventListener('input', onInput);
  $('delete-form').addEventListener('submit', onSubmit);
}

export default { id: 'delete', load: () => {}, wire };
