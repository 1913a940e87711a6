// An endpoint's page: its state with start / stop / pause, and tabs for its configuration, log,
// instances, confirmed addresses, sessions, metrics and aliases.
import { ApiError, every, get, post, endpointPath } from './api.js';
import { el, replace, endpointHref, managerLink, stateBadge, notice } from './dom.js';
import { tabs } from './endpoint-tabs.js';

export const tabNames = ['configuration', 'log', 'instances', 'addresses', 'sessions', 'metrics', 'aliases'];

export function endpointPage(main, name, tab) {
  if (!tabNames.includes(tab)) tab = 'configuration';
  const state = el('span', { id: 'endpoint-state' }, '…');
  const owner = el('span', { id: 'endpoint-owner' });
  const actionStatus = el('div', { class: 'action-status' });
  const actions = ['start', 'stop', 'pause'].map((action) =>
    el('button', { type: 'button', id: 'action-' + action, 'data-action': action, onclick: () => act(action) },
      action[0].toUpperCase() + action.slice(1)));
  const panel = el('section', { id: 'tab-panel', class: 'tab-panel', role: 'region', 'aria-label': tab });
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Endpoint sections' }, tabNames.map((name_) =>
    el('a', { href: endpointHref(name, name_), 'aria-current': name_ === tab ? 'page' : undefined, id: 'tab-' + name_ }, name_)));

  replace(main,
    el('p', { class: 'crumbs' }, el('a', { href: '#/endpoints' }, 'Endpoints'), ' / '),
    el('div', { class: 'title-row' }, el('h1', { tabindex: -1 }, name), state),
    el('p', { class: 'owner' }, 'Owner: ', owner),
    el('div', { class: 'actions' }, actions), actionStatus, nav, panel);

  async function refreshState() {
    const current = await get(endpointPath(name, '/state'));
    replace(state, stateBadge(current.state));
    replace(owner, current.manager ? managerLink(current.manager) : el('span', { class: 'muted' }, 'none yet'));
    for (const button of actions) button.setAttribute('aria-pressed', String(current.state === { start: 'RUNNING', stop: 'STOPPED', pause: 'PAUSED' }[button.dataset.action]));
  }

  async function act(action) {
    replace(actionStatus);
    try {
      await post(endpointPath(name, '/state'), { action });
      replace(actionStatus, notice(`Asked the endpoint to ${action}.`));
      await refreshState();
    } catch (error) {
      replace(actionStatus, notice(error.message, 'error'));
    }
  }

  let stopTab;
  const stopState = every(3, async () => {
    try {
      await refreshState();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        replace(main, el('h1', { tabindex: -1 }, name), notice(`There is no endpoint named ${name}.`, 'error'),
          el('p', {}, el('a', { href: '#/endpoints' }, 'All endpoints')));
        stopState();
        stopTab?.();
        return;
      }
      throw error;
    }
  });
  stopTab = tabs[tab](panel, name);
  main.querySelector('h1').focus();
  return () => {
    stopState();
    stopTab?.();
  };
}
