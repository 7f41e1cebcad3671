// A run's event stream (Server-Sent Events) read with fetch, so the request carries the bearer token
// in its Authorization header (EventSource cannot send headers, and a token in the URL would end up in
// logs). A dropped connection is resumed with Last-Event-ID: no event is lost or repeated.

import { apiFetch, ApiError, isAbort, runPath } from './api.js';

/**
 * One run's events, stored then live: every subscriber sees each event once, in version order.
 * `start()` is idempotent; `close()` stops following.
 */
export class RunEventFeed {
  constructor(runId) {
    this.runId = runId;
    this.events = [];
    this.finished = false;
    this.state = 'idle'; // idle | connecting | open | reconnecting | ended | failed
    this.error = null;
    this.listeners = new Set();
    this.stateListeners = new Set();
    this.controller = new AbortController();
    this.started = false;
  }

  get lastVersion() {
    return this.events.length ? this.events[this.events.length - 1].version : 0;
  }

  onEvent(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onState(fn) {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  start() {
    if (this.started) return;
    this.started = true;
    this.run().catch(() => undefined);
  }

  close() {
    this.controller.abort();
  }

  setState(state, error = null) {
    this.state = state;
    this.error = error;
    for (const fn of this.stateListeners) fn(state, error);
  }

  async run() {
    const signal = this.controller.signal;
    let delay = 1000;
    while (!signal.aborted && !this.finished) {
      this.setState(this.events.length ? 'reconnecting' : 'connecting');
      try {
        const headers = { Accept: 'text/event-stream' };
        if (this.lastVersion > 0) headers['Last-Event-ID'] = String(this.lastVersion);
        const res = await apiFetch(runPath(this.runId, '/events'), { signal, headers });
        this.setState('open');
        delay = 1000;
        await this.read(res.body, signal);
        if (this.finished) break;
      } catch (error) {
        if (signal.aborted || isAbort(error)) return;
        // A missing run or a refused request will not get better by retrying.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          this.setState('failed', error);
          return;
        }
        if (error?.name === 'SignInCancelled') {
          this.setState('failed', error);
          return;
        }
      }
      if (signal.aborted || this.finished) break;
      this.setState('reconnecting');
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 10_000);
    }
    if (this.finished) this.setState('ended');
  }

  async read(body, signal) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    const cancel = () => reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        buffer = buffer.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.dispatch(parseBlock(block));
        }
      }
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  dispatch(message) {
    if (!message || message.data === '') return;
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (typeof event.version !== 'number' || event.version <= this.lastVersion) return; // never twice
    event.at = Date.parse(event.occurred_at);
    this.events.push(event);
    if (event.type === 'BatchRunFinished') this.finished = true;
    for (const fn of this.listeners) fn(event);
  }
}

function parseBlock(block) {
  const message = { id: undefined, event: undefined, data: '' };
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') data.push(value);
  }
  message.data = data.join('\n');
  return message;
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
