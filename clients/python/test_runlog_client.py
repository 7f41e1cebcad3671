"""Unit tests of runlog_client that need no server: level mapping, the server's limits (UTF-16
lengths, splitting with markers, truncation) and the buffer bound. Run: python3 -m unittest
test_runlog_client (test/clients/python-client.test.ts runs it under npm test)."""
import io
import logging
import socket
import unittest

import runlog_client as rc


def closed_port_url():
    """A URL nothing listens on: the handler's thread keeps retrying, nothing is acknowledged."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return "http://127.0.0.1:%d" % port


class LevelMapping(unittest.TestCase):
    def test_levels(self):
        self.assertEqual(rc.level_of(logging.DEBUG), "info")
        self.assertEqual(rc.level_of(logging.INFO), "info")
        self.assertEqual(rc.level_of(logging.WARNING), "warning")
        self.assertEqual(rc.level_of(logging.ERROR), "error")
        self.assertEqual(rc.level_of(logging.CRITICAL), "error")
        self.assertEqual(rc.level_of(35), "warning")  # a custom level between WARNING and ERROR


class Limits(unittest.TestCase):
    def test_utf16_length_counts_non_bmp_as_two(self):
        self.assertEqual(rc.utf16_length("abc"), 3)
        self.assertEqual(rc.utf16_length("\U0001F600a"), 3)
        self.assertEqual(rc.utf16_length("日本"), 2)

    def test_a_message_within_the_limit_is_kept_whole(self):
        text = "x" * rc.MAX_MESSAGE_LENGTH
        self.assertEqual(rc.message_parts(text), [text])

    def test_a_long_message_is_split_into_marked_parts_that_join_back(self):
        text = "\U0001F600" * rc.MAX_MESSAGE_LENGTH  # 2 units each: twice the limit
        parts = rc.message_parts(text)
        self.assertEqual(len(parts), 3)
        for i, part in enumerate(parts):
            self.assertTrue(part.endswith(" [part %d/3]" % (i + 1)))
            self.assertLessEqual(rc.utf16_length(part), rc.MAX_MESSAGE_LENGTH)
        joined = "".join(p[: p.rindex(" [part ")] for p in parts)
        self.assertEqual(joined, text)  # no character cut in half, nothing lost

    def test_nul_and_empty(self):
        self.assertEqual(rc.message_parts("a\x00b"), ["a\ufffdb"])
        self.assertEqual(rc.message_parts(""), [" "])

    def test_truncation_has_a_marker_and_fits(self):
        cut = rc.truncate_utf16("p" * 300, rc.MAX_PHASE_LENGTH, marker="…")
        self.assertTrue(cut.endswith("…"))
        self.assertEqual(rc.utf16_length(cut), rc.MAX_PHASE_LENGTH)
        self.assertEqual(rc.truncate_utf16("short", rc.MAX_PHASE_LENGTH), "short")


class Handler(unittest.TestCase):
    def make(self, **options):
        client = rc.RunlogClient(closed_port_url(), "token", min_backoff=0.05, max_backoff=0.1)
        stderr = io.StringIO()
        handler = rc.RunlogHandler(client, "run-1", phase="load", stderr=stderr, flush_interval=0.01, **options)
        log = logging.getLogger("unit-%d" % id(handler))
        log.propagate = False
        log.setLevel(logging.DEBUG)
        log.addHandler(handler)
        return handler, log, stderr

    def test_emit_never_blocks_and_the_buffer_bound_drops_with_one_warning(self):
        handler, log, stderr = self.make(max_buffered=3)
        for i in range(5):
            log.info("record %d", i)  # runlog unreachable: returns at once all the same
        self.assertEqual(handler.unsent, 3)
        self.assertEqual(handler.dropped, 2)
        self.assertEqual(stderr.getvalue().count("dropping log records of run run-1"), 1)
        self.assertFalse(handler.flush(timeout=0.2))  # nothing acknowledged
        handler.close(timeout=0.1)
        self.assertEqual(handler.dropped, 5)  # closed with 3 unsent: counted too

    def test_entries_carry_seq_level_phase_and_the_traceback(self):
        handler, log, _ = self.make()
        log.warning("careful")
        handler.phase = "report"
        try:
            raise ValueError("bad row 17")
        except ValueError:
            log.exception("failed")
        with handler._cond:
            entries = [entry for _, entry, _ in handler._pending]
        self.assertEqual([(e["seq"], e["level"], e["phase"]) for e in entries], [(1, "warning", "load"), (2, "error", "report")])
        self.assertIn("Traceback (most recent call last)", entries[1]["message"])
        self.assertIn("ValueError: bad row 17", entries[1]["message"])
        self.assertRegex(entries[0]["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        handler.close(timeout=0.1)


if __name__ == "__main__":
    unittest.main()
