// The console's entry point: sign-in (pasted token or #token= link), the session bar, and the router
// (#/runs?filters, #/runs/<id>, #/runs/<id>/timeline, #/runs/<id>/log?lines=a-b). Each view is mounted into <main> and destroyed
// (its requests aborted, its timers stopped) when the reader goes elsewhere.

import { checkToken, currentToken, describeToken, installSignInPrompt, onTokenChange, requireSignIn, setToken, SignInCancelled } from './api.js';
import { h, formatTime } from './dom.js';
import { mountRun } from './run-view.js';
import { mountRunsList } from './runs-list.js';
import { parseSearchHash } from './search-model.js';
import { mountSearch } from './search-view.js';

const main = document.getElementById('main');
const session = document.getElementById('session');
const dialog = document.getElementById('signin');
const form = document.getElementById('signin-form');
const tokenInput = document.getElementById('signin-token');
const reasonEl = document.getElementById('signin-reason');
const errorEl = document.getElementById('signin-error');
const submit = document.getElementById('signin-submit');

let current = null; // { kind, runId?, view }
let lastList = '#/runs';

const app = {
  rememberList(hash) {
    lastList = hash;
    document.getElementById('brand').setAttribute('href', hash);
  },
  listHashValue: () => lastList,
};

// ---- sign-in dialog ------------------------------------------------------------------------------

let pending = null; // { resolve, reject } of the prompt the dialog answers

installSignInPrompt((reason) => new Promise((resolve, reject) => {
  pending = { resolve, reject };
  reasonEl.textContent = reason;
  errorEl.textContent = '';
  tokenInput.value = '';
  tokenInput.removeAttribute('aria-invalid');
  if (!dialog.open) dialog.showModal();
  tokenInput.focus();
}));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const candidate = extractToken(tokenInput.value);
  if (!candidate) {
    errorEl.textContent = 'Paste a token first.';
    tokenInput.setAttribute('aria-invalid', 'true');
    tokenInput.focus();
    return;
  }
  submit.disabled = true;
  submit.textContent = 'Checking…';
  const problem = await checkToken(candidate);
  submit.disabled = false;
  submit.textContent = 'Sign in';
  if (problem) {
    errorEl.textContent = problem;
    tokenInput.setAttribute('aria-invalid', 'true');
    tokenInput.focus();
    return;
  }
  setToken(candidate);
  const answered = pending;
  pending = null;
  dialog.close('signed-in');
  answered?.resolve();
});

// Enter signs in (a token is one line); Shift+Enter is left to the textarea.
tokenInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// Escape (or closing otherwise) without signing in: what waited for a token gives up.
dialog.addEventListener('close', () => {
  const answered = pending;
  pending = null;
  answered?.reject(new SignInCancelled());
  renderSession();
});

/** A bare token, "Bearer <token>" or a whole console link with #token=. */
function extractToken(text) {
  const value = text.trim();
  const fromLink = /[#&]token=([A-Za-z0-9._~-]+)/.exec(value);
  if (fromLink) return decodeURIComponent(fromLink[1]);
  return value.replace(/^Bearer\s+/i, '').replace(/\s+/g, '');
}

// ---- session bar ---------------------------------------------------------------------------------

function renderSession() {
  const token = currentToken();
  const info = token ? describeToken(token) : null;
  if (!token) {
    session.replaceChildren(h('span.muted', 'Not signed in'), ' ',
      h('button.secondary#sign-in', { type: 'button', onclick: () => requireSignIn('Paste an admin token to sign in.').then(() => route(true), () => undefined) }, 'Sign in'));
    return;
  }
  const expires = info?.exp ? ` · expires ${formatTime(info.exp, false)}` : '';
  session.replaceChildren(
    h('span.who', { title: info ? `sub: ${info.sub}${info.role ? `, role: ${info.role}` : ''}` : '' },
      'Signed in as ', h('strong', { text: info?.sub ?? 'unknown' }), info?.role ? ` (${info.role})` : '', expires),
    ' ',
    h('button.secondary#sign-out', { type: 'button', onclick: signOut }, 'Sign out'));
}

function signOut() {
  setToken(null);
  current?.view.destroy();
  current = null;
  main.replaceChildren(h('section.view', h('h1', 'Signed out'), h('p', 'The token was removed from this tab.')));
  requireSignIn('You signed out. Paste an admin token to sign in again.').then(() => route(true), () => undefined);
}

onTokenChange(renderSession);

// ---- router --------------------------------------------------------------------------------------

function parseRoute() {
  const hash = location.hash.replace(/^#/, '');
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'search') return { kind: 'search', params: parseSearchHash(location.hash)?.params ?? {} };
  if (parts[0] === 'runs' && parts[1]) {
    let runId = parts[1];
    try {
      runId = decodeURIComponent(runId);
    } catch {
      // keep it as typed
    }
    if (parts[2] === 'search') return { kind: 'run', runId, tab: 'search' }; // its words: run-view reads them from the hash
    if (parts[2] === 'compare') return { kind: 'run', runId, tab: 'compare' }; // its ?with=: run-view reads it from the hash
    if (parts[2] === 'log') return { kind: 'run', runId, tab: 'log' }; // its ?lines=: run-view reads them from the hash
    return { kind: 'run', runId, tab: parts[2] === 'timeline' ? 'timeline' : 'overview' };
  }
  return { kind: 'list', query: new URLSearchParams(query) };
}

function route(force = false) {
  const next = parseRoute();
  if (!force && next.kind === 'run' && current?.kind === 'run' && current.runId === next.runId) {
    current.view.setTab(next.tab);
    return;
  }
  current?.view.destroy();
  if (next.kind === 'search') {
    current = { kind: 'search', view: mountSearch(main, next, app) };
  } else if (next.kind === 'list') {
    app.rememberList(/^#\/runs(\?|$)/.test(location.hash) ? location.hash : '#/runs');
    current = { kind: 'list', view: mountRunsList(main, next, app) };
    document.title = 'Runs · runlog admin';
  } else {
    current = { kind: 'run', runId: next.runId, view: mountRun(main, next.runId, next.tab, app) };
  }
  // The link that was followed is gone with the old view: start the keyboard at the new one.
  if (!dialog.open && (!document.activeElement || document.activeElement === document.body)) main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', () => {
  // A console link pasted into the address bar of an open console is a same-page navigation.
  if (location.hash.startsWith('#token=')) takeTokenFromLink().then(() => route(true));
  else route();
});

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  (main.querySelector('h1, [tabindex="0"], a, button, input, select') ?? main).focus();
});

// ---- start -------------------------------------------------------------------------------------------

/**
 * A link from the start banner: #token=<jwt>. Take the token, then drop it from the address bar and
 * history at once (it never reaches the server: a fragment is not sent).
 */
async function takeTokenFromLink() {
  const fromLink = /^#token=([^&]+)/.exec(location.hash);
  if (!fromLink) return;
  let token = fromLink[1];
  try {
    token = decodeURIComponent(token);
  } catch {
    // use it as it is
  }
  history.replaceState(null, '', `${location.pathname}${location.search}#/runs`);
  const problem = await checkToken(token);
  if (problem === null) {
    setToken(token);
    if (pending) {
      // The sign-in dialog was waiting: the link answers it.
      const answered = pending;
      pending = null;
      dialog.close('signed-in');
      answered.resolve();
    }
    return;
  }
  renderSession();
  if (dialog.open) errorEl.textContent = `The link's token cannot be used: ${problem}`;
  else requireSignIn(`The link's token cannot be used: ${problem}`).then(() => route(true), () => undefined);
}

async function start() {
  await takeTokenFromLink();
  if (!location.hash.startsWith('#/')) history.replaceState(null, '', `${location.pathname}${location.search}#/runs`);
  renderSession();
  route(true);
}

start();
