// The REST API of docs/api.md, as the dashboard calls it: JSON in and out, the
// sign-in cookie sent by the browser, and the X-Reactor-Dashboard header the API requires of
// cookie-authenticated requests that change state (CSRF protection).

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
}

function describe(status, body) {
  if (body && typeof body === 'object' && typeof body.message === 'string') return body.message;
  if (typeof body === 'string' && body) return body;
  return 'the API answered ' + status;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'X-Reactor-Dashboard': '1' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (response.status === 401) window.dispatchEvent(new CustomEvent('reactor-unauthorized'));
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

export const v = (path) => '/v1.1' + path;
export const endpointPath = (name, rest = '') => v('/endpoints/' + encodeURIComponent(name) + rest);

let openapi;
/** The OpenAPI document the API serves (fetched once per page load). */
export async function schemas() {
  openapi ??= get('/openapi.json');
  return (await openapi).components.schemas;
}

/**
 * Calls `task` now and then every `seconds` (never more than once a second, never two at once)
 * while the page is visible, until the returned function is called.
 */
export function every(seconds, task) {
  let stopped = false;
  let timer;
  const interval = Math.max(1, seconds) * 1000;
  const round = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        await task();
      } catch (error) {
        if (!(error instanceof ApiError)) console.warn('refresh failed:', error);
      }
    }
    if (!stopped) timer = setTimeout(round, interval);
  };
  round();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
