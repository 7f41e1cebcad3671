"""runlog client for Python batch jobs: one file, standard library only, Python 3.9+.

Vendor this file into a job (or install it) and ship the job's ``logging`` records to runlog:

    client = RunlogClient("http://runlog:3000", token)
    run_id = client.start_run(phases=["extract", "load"])
    handler = RunlogHandler(client, run_id, phase="extract")
    logging.getLogger().addHandler(handler)

It mirrors the Node client (clients/node): requests are retried on connection errors, 429, 502, 503
and 504 with exponential backoff and jitter, honouring Retry-After; log entries carry seqs fixed when
they are emitted, so a batch retried after a restart of runlog is stored exactly once (the server
skips seqs it holds); a start retried after a lost answer is recognised (409 run_exists on a retry of
our own start is success). The server's limits (docs/api.md, src/batch-runs/domain/run.limits.ts) are
respected here: messages of at most 65,536 UTF-16 code units (split into marked parts), at most 1000
entries per append, bodies well under the 5 MiB limit, phases of at most 200 UTF-16 code units.
"""
import collections
import datetime
import email.utils
import http.client
import json
import logging
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref

__all__ = [
    "RunlogClient",
    "RunlogHandler",
    "RunlogError",
    "level_of",
    "message_parts",
    "utf16_length",
    "MAX_MESSAGE_LENGTH",
    "MAX_ENTRIES_PER_APPEND",
    "MAX_PHASE_LENGTH",
    "MAX_BATCH_BYTES",
]

#: A log entry's message, in UTF-16 code units (JavaScript's string length; a non-BMP character counts 2).
MAX_MESSAGE_LENGTH = 65536
#: Entries one append may carry.
MAX_ENTRIES_PER_APPEND = 1000
#: A phase name, in UTF-16 code units.
MAX_PHASE_LENGTH = 200
#: The server takes 5 MiB per body; a batch stays well under it (the Node client's figure).
MAX_BATCH_BYTES = 2 * 1024 * 1024
#: Room kept in a split part for its " [part 12/345]" marker.
PART_ROOM = 32
#: Statuses that mean "not now": retried (502/504 come from a proxy in front of runlog).
RETRIED_STATUSES = frozenset((429, 502, 503, 504))

_API = "/api/v1/batch/runs"


class RunlogError(Exception):
    """An answer runlog gave that is not success (and is not retried): status, code and body."""

    def __init__(self, status, body, what):
        self.status = status
        self.body = body
        self.code = body.get("code") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else body
        super().__init__("%s: %s %s%s" % (what, status, (self.code + ": ") if self.code else "", json.dumps(message)))


# --- limits ---------------------------------------------------------------------------------------


def utf16_length(text):
    """The length of text in UTF-16 code units, as runlog (JavaScript) counts it."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _cut_utf16(text, units):
    """The longest prefix of text of at most `units` UTF-16 code units (never half a character)."""
    if len(text) * 2 <= units:
        return text
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:i]
    return text


def message_parts(message, max_length=MAX_MESSAGE_LENGTH):
    """The message as one or more messages runlog accepts, in order.

    NUL (which runlog refuses) becomes U+FFFD; an empty message becomes one space; a message longer
    than max_length UTF-16 code units is split into parts each ending with " [part i/n]".
    """
    clean = message.replace("\x00", "\ufffd") if message else " "
    if utf16_length(clean) <= max_length:
        return [clean]
    size = max_length - PART_ROOM
    pieces = []
    rest = clean
    while rest:
        piece = _cut_utf16(rest, size)
        pieces.append(piece)
        rest = rest[len(piece):]
    return ["%s [part %d/%d]" % (piece, i + 1, len(pieces)) for i, piece in enumerate(pieces)]


def truncate_utf16(text, max_length, marker="…[truncated]"):
    """text cut to at most max_length UTF-16 code units, ending with marker when it was cut."""
    if utf16_length(text) <= max_length:
        return text
    return _cut_utf16(text, max_length - utf16_length(marker)) + marker


def level_of(levelno):
    """runlog's level for a logging level: WARNING -> warning, ERROR and CRITICAL -> error, else info."""
    if levelno >= logging.ERROR:
        return "error"
    if levelno >= logging.WARNING:
        return "warning"
    return "info"


def _entry_bytes(entry):
    """The bytes the entry adds to an append's JSON body (ASCII JSON: exact) plus its comma."""
    return len(json.dumps(entry)) + 1


def _iso(timestamp):
    """A POSIX time as runlog's ISO 8601 UTC with milliseconds (an offset is required)."""
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def generated_run_id():
    """batch_<UTC date>_<time>_<8 hex>: the server's own format, with more randomness (made by many clients)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return "batch_%s_%s" % (now.strftime("%Y%m%d_%H%M%S"), os.urandom(4).hex())


# --- HTTP -----------------------------------------------------------------------------------------


def _retry_after_seconds(header):
    if header is None:
        return None
    header = header.strip()
    try:
        seconds = float(header)
        return seconds if seconds >= 0 else None
    except ValueError:
        pass
    try:
        at = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (at - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


class _Answer:
    __slots__ = ("status", "body", "attempts")

    def __init__(self, status, body, attempts):
        self.status = status
        self.body = body
        self.attempts = attempts


class _GaveUp(Exception):
    pass


class RunlogClient:
    """A client for one runlog server and one bearer token (role service or admin).

    Every request is retried on connection errors (refused, reset, timed out), 429, 502, 503 and 504,
    with backoff from min_backoff doubling to max_backoff seconds (with jitter), or after the
    Retry-After the answer carries; give_up_after (seconds, default None: never) bounds the retrying,
    so a job's lifecycle calls survive a restart of runlog.
    """

    def __init__(self, base_url, token, min_backoff=0.1, max_backoff=5.0, give_up_after=None, request_timeout=30.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.give_up_after = give_up_after
        self.request_timeout = request_timeout
        self._handlers = collections.defaultdict(weakref.WeakSet)
        self._handlers_lock = threading.Lock()

    # -- lifecycle --

    def start_run(self, batch_run_id=None, portfolio_id=None, owner_id=None, phases=None, total_jobs=None):
        """Starts a run and returns its id (generated here when none is given, so a retried start is
        the same run). A start whose answer was lost and that runlog took is success: a 409
        run_exists on a retry of this very request means an earlier attempt was stored."""
        run_id = batch_run_id if batch_run_id is not None else generated_run_id()
        body = {"batch_run_id": run_id}
        for key, value in (("portfolio_id", portfolio_id), ("owner_id", owner_id), ("phases", phases), ("total_jobs", total_jobs)):
            if value is not None:
                body[key] = list(value) if key == "phases" else value
        answer = self.request("POST", _API, body)
        ours = answer.status == 201 or (answer.status == 409 and _code(answer.body) == "run_exists" and answer.attempts > 1)
        if not ours:
            raise RunlogError(answer.status, answer.body, "starting run %s" % run_id)
        return run_id

    def complete_phase(self, run_id, phase, completed_jobs=0, failed_jobs=0, status=None, flush_timeout=None):
        """Completes a phase (status 'completed', the default, or 'failed'); returns the run.
        The run's RunlogHandlers are flushed first, so the phase's records are stored before it ends."""
        self._flush_handlers(run_id, flush_timeout)
        body = {"completed_jobs": completed_jobs, "failed_jobs": failed_jobs}
        if status is not None:
            body["status"] = status
        path = "%s/%s/phases/%s/complete" % (_API, _quote(run_id), _quote(phase))
        answer = self.request("POST", path, body)
        if answer.status != 200:
            raise RunlogError(answer.status, answer.body, "completing phase %s of run %s" % (phase, run_id))
        return answer.body

    def finish(self, run_id, status, completed_jobs=None, failed_jobs=None, flush_timeout=None):
        """Finishes the run as 'completed', 'failed' or 'partial'; returns the run. The run's
        RunlogHandlers are flushed first (runlog refuses entries for a finished run)."""
        self._flush_handlers(run_id, flush_timeout)
        body = {"status": status}
        if completed_jobs is not None:
            body["completed_jobs"] = completed_jobs
        if failed_jobs is not None:
            body["failed_jobs"] = failed_jobs
        answer = self.request("POST", "%s/%s/finish" % (_API, _quote(run_id)), body)
        if answer.status != 200:
            raise RunlogError(answer.status, answer.body, "finishing run %s" % run_id)
        with self._handlers_lock:
            handlers = list(self._handlers.get(run_id, ()))
        for handler in handlers:
            handler.heartbeat_interval = None  # a finished run has no lease
        return answer.body

    def heartbeat(self, run_id, give_up_after=None, stop=None):
        """Renews the run's lease (RUN_LEASE_SECONDS) while the job is quiet; returns the answer."""
        answer = self.request("POST", "%s/%s/heartbeat" % (_API, _quote(run_id)), None, give_up_after=give_up_after, stop=stop)
        if answer.status != 200:
            raise RunlogError(answer.status, answer.body, "heartbeat of run %s" % run_id)
        return answer.body

    def append(self, run_id, entries, give_up_after=None, stop=None):
        """Appends entries (dicts of level, message, timestamp, phase, seq) as they are; returns the answer."""
        answer = self.request("POST", "%s/%s/logs" % (_API, _quote(run_id)), {"entries": entries}, give_up_after=give_up_after, stop=stop)
        if answer.status != 201:
            raise RunlogError(answer.status, answer.body, "appending %d entries to run %s" % (len(entries), run_id))
        return answer.body

    # -- handlers of a run --

    def _attach(self, run_id, handler):
        with self._handlers_lock:
            self._handlers[run_id].add(handler)

    def _detach(self, run_id, handler):
        with self._handlers_lock:
            self._handlers[run_id].discard(handler)

    def _flush_handlers(self, run_id, timeout):
        with self._handlers_lock:
            handlers = list(self._handlers.get(run_id, ()))
        for handler in handlers:
            handler.flush(timeout)

    # -- one request, retried --

    def request(self, method, path, body=None, give_up_after=None, stop=None):
        """One request, retried until it is answered with a status that is not retried. Returns an
        answer with status, parsed body and the attempts made. `stop` (a threading.Event) ends the
        retrying early: _GaveUp is raised, as when give_up_after passes."""
        limit = self.give_up_after if give_up_after is None else give_up_after
        data = None if body is None else json.dumps(body).encode("ascii")
        headers = {"Authorization": "Bearer %s" % self.token, "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            wait = None
            try:
                status, text, retry_after = self._send(method, path, data, headers)
                if status not in RETRIED_STATUSES:
                    return _Answer(status, _parse(text), attempt)
                wait = _retry_after_seconds(retry_after)
            except (OSError, http.client.HTTPException, ValueError):
                pass  # refused, reset, timed out: runlog is away, try again
            if wait is None:
                wait = self._backoff(attempt)
            if limit is not None and time.monotonic() - started + wait > limit:
                raise _GaveUp("runlog did not answer %s %s within %s s (%d attempts)" % (method, path, limit, attempt))
            if stop is not None:
                if stop.wait(wait):
                    raise _GaveUp("stopped retrying %s %s" % (method, path))
            else:
                time.sleep(wait)

    def _send(self, method, path, data, headers):
        req = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.request_timeout) as res:
                return res.status, res.read().decode("utf-8", "replace"), res.headers.get("Retry-After")
        except urllib.error.HTTPError as error:
            try:
                text = error.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                text = ""
            finally:
                error.close()
            return error.code, text, error.headers.get("Retry-After") if error.headers else None

    def _backoff(self, attempt):
        ceiling = min(self.max_backoff, self.min_backoff * 2 ** min(attempt - 1, 30))
        return ceiling / 2 + random.random() * ceiling / 2


def _quote(segment):
    return urllib.parse.quote(segment, safe="")


def _parse(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _code(body):
    return body.get("code") if isinstance(body, dict) else None


# --- the logging handler --------------------------------------------------------------------------


class RunlogHandler(logging.Handler):
    """A logging.Handler that ships records to one runlog run.

    emit() never blocks on the network and never raises: it numbers the record (seq), maps its level
    and buffers it; a background thread ships the buffer in order, in batches (at most 1000 entries
    and MAX_BATCH_BYTES), retrying each batch with the same seqs until runlog has it, so records are
    stored exactly once and in order across restarts of runlog. `handler.phase` is the phase of the
    records that follow (a record's own `runlog_phase` attribute, from `extra=`, wins). At most
    max_buffered entries wait; past it records are dropped, counted in `dropped`, with a warning on
    stderr. flush(timeout) waits until everything emitted is acknowledged; close() flushes.
    """

    def __init__(self, client, run_id, phase=None, level=logging.NOTSET, max_buffered=100000, flush_interval=0.2,
                 flush_timeout=60.0, heartbeat_interval=15.0, first_seq=1, stderr=None):
        super().__init__(level)
        self.client = client
        self.run_id = run_id
        self.phase = phase
        self.max_buffered = max_buffered
        self.flush_interval = flush_interval
        self.flush_timeout = flush_timeout
        self.heartbeat_interval = heartbeat_interval
        #: Records dropped (buffer full, or runlog refused the run's entries).
        self.dropped = 0
        #: The RunlogError that stopped shipping (runlog refused a batch: run_finished...), else None.
        self.error = None
        self._stderr = stderr
        self._cond = threading.Condition(threading.Lock())
        self._pending = collections.deque()  # (seq, entry, bytes), in seq order
        self._next_seq = first_seq
        self._acked_seq = first_seq - 1
        self._flush_wanted = False
        self._dropping = False
        self._closing = False
        self._stop = threading.Event()
        self._last_sent = time.monotonic()
        client._attach(run_id, self)
        self._thread = threading.Thread(target=self._run, name="runlog-handler-%s" % run_id, daemon=True)
        self._thread.start()

    @property
    def unsent(self):
        """Entries emitted but not yet acknowledged by runlog."""
        with self._cond:
            return len(self._pending)

    # -- the job's side: never the network, never an exception --

    def emit(self, record):
        try:
            message = self.format(record)
            phase = getattr(record, "runlog_phase", None) or self.phase
            if phase is not None:
                phase = truncate_utf16(str(phase), MAX_PHASE_LENGTH, marker="…")
            parts = message_parts(message)
            timestamp = _iso(record.created)
            level = level_of(record.levelno)
            with self._cond:
                if self._closing or self.error is not None:
                    self._drop(1, "the handler is %s" % ("closed" if self._closing else "stopped: %s" % self.error))
                    return
                if len(self._pending) + len(parts) > self.max_buffered:
                    self._drop(1, "%d entries are waiting for runlog (max_buffered)" % len(self._pending))
                    return
                self._dropping = False
                for part in parts:
                    entry = {"seq": self._next_seq, "level": level, "message": part, "timestamp": timestamp}
                    if phase is not None:
                        entry["phase"] = phase
                    self._pending.append((self._next_seq, entry, _entry_bytes(entry)))
                    self._next_seq += 1
                if len(self._pending) >= MAX_ENTRIES_PER_APPEND:
                    self._cond.notify_all()
                elif len(self._pending) == len(parts):
                    self._cond.notify_all()  # the thread may sleep with nothing to do
        except Exception:  # noqa: BLE001 - a log call must never fail the job
            self.handleError(record)

    def _drop(self, count, why):
        """Counts dropped records; warns on stderr at the first drop of each episode (lock held)."""
        self.dropped += count
        if not self._dropping:
            self._dropping = True
            self._warn("runlog: dropping log records of run %s: %s (%d dropped so far)" % (self.run_id, why, self.dropped))

    def _warn(self, text):
        try:
            stream = self._stderr or sys.stderr
            stream.write(text + "\n")
            stream.flush()
        except Exception:  # noqa: BLE001
            pass

    def flush(self, timeout=None):
        """Waits until every record emitted so far is acknowledged by runlog, at most timeout seconds
        (default flush_timeout). Returns True when all are, False on timeout or if shipping stopped."""
        timeout = self.flush_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with self._cond:
            target = self._next_seq - 1
            while self._acked_seq < target and self.error is None and self._thread.is_alive():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._flush_wanted = True
                self._cond.notify_all()
                self._cond.wait(min(left, 0.5))
            return self._acked_seq >= target

    def close(self, timeout=None):
        """Flushes (at most timeout seconds, default flush_timeout), then stops the thread. Records
        still unsent then are counted in `dropped` with a warning on stderr."""
        try:
            if not self._closing:
                done = self.flush(timeout)
                with self._cond:
                    self._closing = True
                    left = len(self._pending)
                    if not done and left:
                        self._pending.clear()
                        self._drop(left, "closed with %d entries unsent" % left)
                    self._cond.notify_all()
                self._stop.set()
                self._thread.join(5.0)
                self.client._detach(self.run_id, self)
        finally:
            super().close()

    # -- the shipping thread --

    def _run(self):
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    if self._heartbeat_due():
                        break
                    self._cond.wait(self._idle_wait())
                if self._closing and not self._pending:
                    return
                if self._pending and len(self._pending) < MAX_ENTRIES_PER_APPEND and not self._flush_wanted:
                    self._cond.wait(self.flush_interval)  # let a batch gather
                self._flush_wanted = False
                batch = self._take_batch()
            if not batch:
                self._send_heartbeat()
                continue
            try:
                self.client.append(self.run_id, [entry for _, entry, _ in batch], stop=self._stop)
            except _GaveUp:
                return
            except RunlogError as error:
                self._stopped(error)
                return
            except Exception as error:  # noqa: BLE001 - a bug must not leave flush() waiting forever
                self._stopped(error)
                return
            with self._cond:
                for _ in batch:
                    self._pending.popleft()
                self._acked_seq = batch[-1][0]
                self._last_sent = time.monotonic()
                self._cond.notify_all()

    def _take_batch(self):
        batch = []
        size = 16
        for item in self._pending:
            if len(batch) >= MAX_ENTRIES_PER_APPEND or (batch and size + item[2] > MAX_BATCH_BYTES):
                break
            batch.append(item)
            size += item[2]
        return batch

    def _stopped(self, error):
        with self._cond:
            self.error = error
            left = len(self._pending)
            self._pending.clear()
            self._drop(left, "runlog refused them: %s" % error)
            self._cond.notify_all()

    def _heartbeat_due(self):
        return self.heartbeat_interval is not None and time.monotonic() - self._last_sent >= self.heartbeat_interval

    def _idle_wait(self):
        if self.heartbeat_interval is None:
            return 1.0
        return max(0.05, min(1.0, self.heartbeat_interval - (time.monotonic() - self._last_sent)))

    def _send_heartbeat(self):
        self._last_sent = time.monotonic()
        try:
            # Not retried for long: the next one follows.
            self.client.heartbeat(self.run_id, give_up_after=self.heartbeat_interval or 1.0, stop=self._stop)
        except Exception:  # noqa: BLE001
            pass
