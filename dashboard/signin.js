// Signing in with the admin key: POST /v1.1/login trades it for an HttpOnly cookie. The key is
// only ever in the password field and the request body; nothing is written to browser storage.
import { ApiError, post, v } from './api.js';
import { el, replace, notice } from './dom.js';

const signOutButton = document.getElementById('signout');
// "Sign out" shows only when there is something to sign out of: an admin key is set and this
// page is past the sign-in form (so the browser holds the cookie).
let keySet = false;
let signingIn = false;
const drawSignOut = () => { signOutButton.hidden = !keySet || signingIn; };

/**
 * Finds out whether an admin key is set: GET /v1.1/info without the cookie is refused (401) only
 * then. The cookie is HttpOnly, so asking the API is the only way to know.
 */
export async function showSignOut() {
  try {
    const answer = await fetch('/v1.1/info', { credentials: 'omit', cache: 'no-store', headers: { Accept: 'application/json' } });
    keySet = answer.status === 401;
  } catch {
    keySet = false;
  }
  drawSignOut();
}

export function signInPage(main, done) {
  signingIn = true;
  drawSignOut();
  const key = el('input', {
    id: 'signin-key', name: 'auth_key', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'signin-hint',
  });
  const message = el('div', { class: 'signin-message' });
  const button = el('button', { type: 'submit' }, 'Sign in');
  const form = el('form', { class: 'signin', 'aria-labelledby': 'signin-title' },
    el('label', { for: key.id }, 'Admin key'), key,
    el('p', { id: 'signin-hint', class: 'hint' },
      'The key set with reactor auth-key (or --auth-key-file). The browser keeps only a signed, expiring cookie.'),
    button, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    replace(message);
    try {
      await post(v('/login'), { auth_key: key.value });
      key.value = '';
      keySet = true;
      signingIn = false;
      drawSignOut();
      if (location.hash === '#/signin') location.hash = '#/';
      done();
    } catch (error) {
      const text = error instanceof ApiError && error.status === 401 ? 'That is not the admin key.' : error.message;
      replace(message, notice(text, 'error'));
      key.select();
    } finally {
      button.disabled = false;
    }
  });
  replace(main, el('h1', { id: 'signin-title', tabindex: -1 }, 'Sign in'), form);
  key.focus();
}

export async function signOut(main, done) {
  try {
    await post(v('/logout'));
  } finally {
    signInPage(main, done);
  }
}
