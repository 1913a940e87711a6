// The dashboard: hash routes (#/endpoints/web/log) over one page, each page a function that
// renders into <main> and returns what stops its refreshes.
import { overviewPage } from './overview.js';
import { endpointsPage, newEndpointPage } from './endpoints.js';
import { endpointPage } from './endpoint.js';
import { managersPage, managerPage, managerConfigPage } from './managers.js';
import { signInPage, signOut, showSignOut } from './signin.js';
import { el, replace } from './dom.js';

const main = document.getElementById('main');
let stop = () => {};
let signingIn = false;

const routes = [
  [/^\/?$/, () => overviewPage(main)],
  [/^\/endpoints$/, () => endpointsPage(main)],
  [/^\/endpoints\/new$/, () => newEndpointPage(main)],
  [/^\/endpoints\/([^/]+)(?:\/([a-z]+))?$/, (name, tab) => endpointPage(main, name, tab ?? 'overview')],
  [/^\/managers$/, () => managersPage(main)],
  [/^\/managers\/active\/([^/]+)$/, (id) => managerPage(main, id)],
  [/^\/managers\/configs\/([^/]+)(?:\/([a-z]+))?$/, (name, tab) => managerConfigPage(main, name, tab ?? 'configuration')],
  [/^\/signin$/, () => signInPage(main, () => navigate())],
];

function navigate() {
  stop();
  stop = () => {};
  signingIn = false;
  const route = decodeURIComponent(location.hash.replace(/^#/, '') || '/').split('?')[0];
  const section = route.startsWith('/endpoints') ? 'endpoints' : route.startsWith('/managers') ? 'managers' : 'overview';
  for (const link of document.querySelectorAll('header nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const raw = (location.hash.replace(/^#/, '') || '/').split('?')[0];
  for (const [pattern, page] of routes) {
    const match = pattern.exec(raw);
    if (match) {
      const stopper = page(...match.slice(1).map((part) => (part === undefined ? undefined : decodeURIComponent(part))));
      if (typeof stopper === 'function') stop = stopper;
      return;
    }
  }
  replace(main, el('h1', { tabindex: -1 }, 'Not found'), el('p', {}, 'The dashboard has no page ', el('code', {}, raw), '.'),
    el('p', {}, el('a', { href: '#/' }, 'Back to the overview')));
}

window.addEventListener('hashchange', navigate);
window.addEventListener('reactor-unauthorized', () => {
  if (signingIn) return;
  signingIn = true;
  stop();
  stop = () => {};
  signInPage(main, () => navigate());
});
document.getElementById('signout').addEventListener('click', () => signOut(main, () => navigate()));
showSignOut();
navigate();
