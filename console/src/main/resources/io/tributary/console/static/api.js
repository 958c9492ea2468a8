// The console's JSON API: every call returns the parsed body or throws an ApiError carrying the Kafka error
// name and the server's plain-words message, which the pages show as they are.
export class ApiError extends Error {
  constructor(status, error, message) { super(message); this.status = status; this.error = error; }
  toString() { return `${this.error}: ${this.message}`; }
}

export async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  let res;
  try { res = await fetch(path, init); } catch (e) { throw new ApiError(0, 'NETWORK', 'The console does not answer: ' + e.message); }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: 'BAD_RESPONSE', message: text.slice(0, 300) }; }
  if (res.status === 401 && data && data.error === 'UNAUTHENTICATED') {
    window.dispatchEvent(new CustomEvent('console:unauthenticated'));
  }
  if (!res.ok) throw new ApiError(res.status, data && data.error || String(res.status), data && data.message || res.statusText);
  return data;
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b);
export const del = (p) => api('DELETE', p);
