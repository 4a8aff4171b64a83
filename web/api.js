// Talking to the server's JSON API (docs/api.md). Every call resolves to
// the parsed JSON or throws an Error carrying the server's message.
export async function api(method, path, body, type) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof ArrayBuffer || body instanceof Blob) {
      init.body = body;
      init.headers['Content-Type'] = type || 'application/octet-stream';
    } else {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(path, init);
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const message = data && data.error ? data.error : `HTTP ${res.status}`;
    const err = new Error(message);
    err.status = res.status;
    throw err;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body, type) => api('POST', path, body, type);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
