// Downloads a run's log as TXT, JSON or NDJSON: the response is streamed (fetch + ReadableStream) and
// its entries counted as they arrive, so a large log shows its progress; the file is saved at the end.

import { apiFetch, runPath } from './api.js';

export const FORMATS = {
  txt: { label: 'TXT', type: 'text/plain' },
  json: { label: 'JSON', type: 'application/json' },
  ndjson: { label: 'NDJSON', type: 'application/x-ndjson' },
};

/** Counts the entries in a format's text as it streams in, whatever the chunk boundaries. */
export function entryCounter(format) {
  // TXT: an entry is a line that starts with its timestamp (continuation lines are indented, header
  // lines start with a word); NDJSON: one entry per line; JSON: one {"seq": per entry.
  const pattern = format === 'txt' ? /\n\d/g : format === 'ndjson' ? /\n/g : /\{"seq":/g;
  // The end of a chunk is kept to catch a marker split across chunks: one character less than the
  // marker, so a marker is never counted twice.
  const keep = format === 'txt' ? 1 : format === 'ndjson' ? 0 : 6;
  let tail = format === 'txt' ? '\n' : '';
  let count = 0;
  return {
    add(text) {
      const joined = tail + text;
      count += (joined.match(pattern) ?? []).length;
      tail = keep ? joined.slice(-keep) : '';
      return count;
    },
    get count() {
      return count;
    },
  };
}

/**
 * Fetches the log, reporting {entries, bytes} as it arrives; resolves with the file's name, its Blob
 * and what was counted. Throws ApiError (429 with retryAfterSeconds...) or a stream error.
 */
export async function fetchLog(runId, format, { signal, onProgress }) {
  const res = await apiFetch(runPath(runId, `/logs?format=${format}`), { signal });
  const filename = filenameFrom(res.headers.get('Content-Disposition')) ?? `${runId}_logs.${format}`;
  const type = res.headers.get('Content-Type') ?? FORMATS[format].type;
  const counter = entryCounter(format);
  const decoder = new TextDecoder();
  const chunks = [];
  let bytes = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      counter.add(decoder.decode(value, { stream: true }));
      onProgress?.({ entries: counter.count, bytes });
    }
  } catch (error) {
    if (error?.name === 'AbortError' || signal?.aborted) throw error;
    const cut = new Error(`the connection was cut after ${counter.count} entries (${bytes} bytes)`);
    cut.name = 'DownloadInterrupted';
    throw cut;
  }
  counter.add(decoder.decode());
  if (format === 'json') checkCompleteJson(chunks);
  return { filename, blob: new Blob(chunks, { type }), entries: counter.count, bytes };
}

/** A JSON download cut short by the server is not valid JSON: say so instead of saving half a file. */
function checkCompleteJson(chunks) {
  const last = chunks[chunks.length - 1];
  const end = last ? new TextDecoder().decode(last.slice(-4)).trim() : '';
  if (!end.endsWith('}')) {
    const cut = new Error('the JSON log arrived incomplete (the server stopped half-way)');
    cut.name = 'DownloadInterrupted';
    throw cut;
  }
}

/** filename="..." (or RFC 5987 filename*=UTF-8''...) from a Content-Disposition header. */
export function filenameFrom(header) {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="([^"]*)"/i.exec(header) ?? /filename=([^;]+)/i.exec(header);
  return plain ? plain[1].trim() : null;
}

/** Hands a finished download to the browser as a file. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
