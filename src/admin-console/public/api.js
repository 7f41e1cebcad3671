// The signed-in token and every call to runlog's API. A 401 never loses the page: the request waits
// while the sign-in dialog asks for a new token, then goes on with it.

const TOKEN_KEY = 'runlog.console.token';
export const API = '/api/v1/admin/batch/history';

export class ApiError extends Error {
  constructor(status, message, { retryAfterSeconds = null, body = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.body = body;
  }
}

/** The user closed the sign-in dialog: requests that needed a token give up. */
export class SignInCancelled extends Error {
  constructor() {
    super('Not signed in: sign in again to continue.');
    this.name = 'SignInCancelled';
  }
}

// ---- token ------------------------------------------------------------------------------------

let token = readStoredToken();
const listeners = new Set();

function readStoredToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function currentToken() {
  return token;
}

export function setToken(value) {
  token = value;
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lives for this page only
  }
  for (const listener of listeners) listener(value);
}

export function onTokenChange(listener) {
  listeners.add(listener);
}

/**
 * What the token says about itself (unverified: for display only; the server decides). An identity
 * provider's token may carry its role elsewhere (groups mapped by AUTH_ROLE_MAP): role is then null.
 */
export function describeToken(value = token) {
  try {
    const part = value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
    const role = typeof json.role === 'string' && ['admin', 'user', 'service'].includes(json.role) ? json.role : null;
    return { sub: String(json.sub ?? '?'), role, exp: typeof json.exp === 'number' ? json.exp * 1000 : null };
  } catch {
    return null;
  }
}

/** Asks the server whether a token is a usable admin token; returns null if it is, else why not. */
export async function checkToken(candidate) {
  let res;
  try {
    res = await fetch(`${API}?limit=1`, { headers: { Authorization: `Bearer ${candidate}` }, cache: 'no-store' });
  } catch {
    return 'Could not reach runlog: is the server running?';
  }
  if (res.ok) return null;
  const message = await errorText(res);
  if (res.status === 401) return `The token was refused (${message}). Paste a fresh admin token.`;
  if (res.status === 403) {
    const role = describeToken(candidate)?.role;
    // The server's reason when the token says nothing readable about its role (a provider's groups).
    return `This token ${role ? `has role "${role}"` : `is not an admin token (${message})`}: the console needs an admin token.`;
  }
  return `The server answered ${res.status}: ${message}`;
}

// ---- sign-in prompt ---------------------------------------------------------------------------

let prompt = null; // the pending { promise } while the dialog is open
let showPrompt = null; // installed by the app: (reason) => Promise<void> resolving after sign-in

export function installSignInPrompt(fn) {
  showPrompt = fn;
}

/** Resolves once a valid token is set (the dialog asks for it); rejects with SignInCancelled. */
export function requireSignIn(reason) {
  if (!prompt) {
    prompt = showPrompt(reason).finally(() => {
      prompt = null;
    });
  }
  return prompt;
}

// ---- requests ---------------------------------------------------------------------------------

/** fetch with the bearer token; resolves with an ok Response or throws ApiError / SignInCancelled. */
export async function apiFetch(path, { signal, headers = {} } = {}) {
  for (;;) {
    if (!token) await untilAborted(requireSignIn('Sign in with an admin token to use the console.'), signal);
    const sent = token;
    const res = await fetch(path, { headers: { ...headers, Authorization: `Bearer ${sent}` }, signal, cache: 'no-store' });
    if (res.status === 401) {
      const message = await errorText(res);
      // Another request may have signed in again meanwhile: retry at once with the new token.
      if (token === sent) {
        await untilAborted(
          requireSignIn(`Your session ended: the server refused the token (${message}). Paste a new admin token to carry on; the page keeps its place.`),
          signal,
        );
      }
      continue;
    }
    if (!res.ok) throw await apiError(res);
    return res;
  }
}

export async function apiJson(path, options) {
  return (await apiFetch(path, options)).json();
}

export function runPath(id, suffix = '') {
  return `${API}/${encodeURIComponent(id)}${suffix}`;
}

async function apiError(res) {
  // The error body's code and field too (a search refused as search_too_broad or invalid_regex says so beside its box).
  const body = await res.clone().json().catch(() => null);
  const message = await errorText(res);
  return new ApiError(res.status, message, { retryAfterSeconds: retryAfter(res.headers.get('Retry-After')), body });
}

/** The API's error body says what went wrong in `message` (a string or a list of them). */
async function errorText(res) {
  try {
    const text = await res.text();
    try {
      const body = JSON.parse(text);
      const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
      return String(message ?? body.error ?? res.statusText);
    } catch {
      return text.slice(0, 300) || res.statusText || `HTTP ${res.status}`;
    }
  } catch {
    return res.statusText || `HTTP ${res.status}`;
  }
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfter(header) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function untilAborted(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A readable sentence for any failure of a request. */
export function describeError(error, what = 'The request') {
  if (error instanceof SignInCancelled) return error.message;
  if (error instanceof ApiError) {
    if (error.status === 429) {
      const wait = error.retryAfterSeconds;
      return `Too many requests: the limit per minute is reached. ${wait !== null ? `Try again in ${wait} s.` : 'Try again in a minute.'}`;
    }
    if (error.status === 403) return `Not allowed: ${error.message}. The console needs an admin token.`;
    if (error.status === 404) return `Not found: ${error.message}.`;
    if (error.status === 503) return `runlog's database is unavailable right now; try again in ${error.retryAfterSeconds ?? 5} s.`;
    return `${what} failed (${error.status}): ${error.message}`;
  }
  if (error?.name === 'AbortError') return `${what} was cancelled.`;
  if (error instanceof TypeError) return `Could not reach runlog (${error.message}): check that the server is running, then try again.`;
  return `${what} failed: ${error?.message ?? String(error)}`;
}

export function isAbort(error) {
  return error?.name === 'AbortError' || error?.name === 'ViewClosed';
}
