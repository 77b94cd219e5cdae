/**
 * The key prompt (docs/dashboard.md, "Signing in"): shown when the API wants a key and this browser has no
 * session. The key is posted once to /api/session; it is never put in a URL, in the page or in storage.
 */
import { ApiError, api, useHostKey } from './api.js';
import { h } from './dom.js';

let known = false;
let refusedBy: 'app' | 'host' | undefined;

/** After a 401 (the session expired, or the Functions host wants its own key): ask again on the next render. */
export function forgetSession(): void {
  known = false;
  refusedBy = 'app';
}

/** Resolves once signed in (at once when no key is required or the session is still valid). */
export async function ensureSession(view: HTMLElement): Promise<void> {
  if (known) return;
  const state = await api.session();
  if (state.keyRequired && !state.signedIn)
    await prompt(view, (key) => api.signIn(key).then(() => undefined));
  else if (!state.keyRequired && refusedBy) {
    // The app wants no key, yet a call was refused: the Functions host checks its own keys (Azure).
    await prompt(view, (key) => Promise.resolve(useHostKey(key)));
  }
  known = true;
  refusedBy = undefined;
}

function prompt(view: HTMLElement, submit: (key: string) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const input = h('input', {
      type: 'password',
      name: 'key',
      autocomplete: 'current-password',
      'aria-label': 'API key',
      required: true,
    });
    const message = h('p', { class: 'muted', 'data-testid': 'key-message' });
    const form = h(
      'form',
      { class: 'key-prompt', 'data-testid': 'key-prompt' },
      h('h1', {}, 'Sign in'),
      h('p', {}, 'Enter the API key. It is sent once and never put in the address bar or the page.'),
      input,
      h('button', { type: 'submit' }, 'Sign in'),
      message,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const key = input.value;
      input.value = '';
      submit(key).then(
        () => resolve(),
        (err: unknown) => {
          message.textContent =
            err instanceof ApiError && err.status === 401 ? 'That is not the key.' : String(err);
        },
      );
    });
    view.replaceChildren(form);
    input.focus();
  });
}
