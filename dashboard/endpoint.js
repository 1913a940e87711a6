// An endpoint's page: its state with start / stop / pause, and tabs: the overview (problems,
// decision, graphs, activity), the configuration, log, instances, confirmed addresses, sessions,
// metrics and aliases.
import { ApiError, every, get, post, endpointPath } from './api.js';
import { el, replace, endpointHref, endpointLink, stateBadge, notice } from './dom.js';
import { tabs } from './endpoint-tabs.js';
import { overviewTab } from './endpoint-overview.js';
import { servedSummary } from './summary.js';

export const tabNames = ['overview', 'configuration', 'log', 'instances', 'addresses', 'sessions', 'metrics', 'aliases'];

// Each action, the state it leads to and the word for being in that state.
const actionStates = {
  start: ['RUNNING', 'Running'],
  stop: ['STOPPED', 'Stopped'],
  pause: ['PAUSED', 'Paused'],
};

/**
 * Draws the state buttons for `state`: the current state's button is pressed and reads as the
 * state ("Running"), not as a call to action; Start is the highlighted action unless RUNNING.
 */
function drawActions(buttons, state) {
  for (const button of buttons) {
    const action = button.dataset.action;
    const current = actionStates[action][0] === state;
    button.setAttribute('aria-pressed', String(current));
    button.className = current ? 'current' : action === 'start' ? 'primary' : 'quiet';
    button.textContent = current ? actionStates[action][1] : action[0].toUpperCase() + action.slice(1);
    button.title = current ? `The endpoint is ${state}` : '';
  }
}

export function endpointPage(main, name, tab) {
  if (!tabNames.includes(tab)) tab = 'overview';
  const state = el('span', { id: 'endpoint-state' }, '…');
  const alias = el('span', { id: 'endpoint-alias', class: 'alias-of' });
  const actionStatus = el('div', { class: 'action-status' });
  const actions = Object.keys(actionStates).map((action) =>
    el('button', { type: 'button', id: 'action-' + action, class: 'quiet', 'data-action': action, onclick: () => act(action) },
      action[0].toUpperCase() + action.slice(1)));
  const panel = el('section', { id: 'tab-panel', class: 'tab-panel', role: 'region', 'aria-label': tab });
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Endpoint sections' }, tabNames.map((name_) =>
    el('a', { href: endpointHref(name, name_), 'aria-current': name_ === tab ? 'page' : undefined, id: 'tab-' + name_ }, name_)));

  replace(main,
    el('p', { class: 'crumbs' }, el('a', { href: '#/endpoints' }, 'Endpoints'), ' / '),
    el('div', { class: 'title-row' }, el('h1', { tabindex: -1 }, name), state, alias),
    el('div', { class: 'actions', role: 'group', 'aria-label': 'State' }, actions), actionStatus, nav, panel);

  let known;
  async function refreshState() {
    const current = await get(endpointPath(name, '/state'));
    known = current.state;
    replace(state, stateBadge(current.state));
    drawActions(actions, current.state);
  }

  async function act(action) {
    if (actionStates[action][0] === known) return;
    replace(actionStatus);
    try {
      await post(endpointPath(name, '/state'), { action });
      replace(actionStatus, notice(`Asked the endpoint to ${action}.`));
      await refreshState();
    } catch (error) {
      replace(actionStatus, notice(error.message, 'error'));
    }
  }

  // Whether this name is an alias of another (GET /v1.1/summary; older APIs do not say).
  servedSummary().then((served) => {
    const entry = served?.endpoints.find((endpoint) => endpoint.name === name);
    if (entry?.alias_of) replace(alias, 'alias of ', endpointLink(entry.alias_of));
  }).catch(() => {});

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
  stopTab = tab === 'overview' ? overviewTab(panel, name) : tabs[tab](panel, name);
  main.querySelector('h1').focus();
  return () => {
    stopState();
    stopTab?.();
  };
}
