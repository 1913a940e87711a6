// Signing in with the admin key: POST /v1.1/login trades it for an HttpOnly cookie. The key is
// only ever in the password field and the request body; nothing is written to browser storage.
import { ApiError, post, v } from './api.js';
import { el, replace, notice } from './dom.js';

const signOutButton = document.getElementById('signout');
signOutButton.hidden = false;

export function signInPage(main, done) {
  signOutButton.hidden = true;
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
      signOutButton.hidden = false;
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
