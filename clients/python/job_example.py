"""A batch job as its users write one: the standard logging module, with the runlog handler added.

Used by test/clients/python-client.test.ts: two phases of RECORDS/2 records each. It prints
"emitted N" every 100 records (the test kills runlog on one of them) and, at the end,
"done <run id> dropped=<n>". Arguments: base_url token records.
"""
import logging
import sys
import time

from runlog_client import RunlogClient, RunlogHandler


def main():
    base_url, token, records = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = RunlogClient(base_url, token, min_backoff=0.05, max_backoff=0.5)
    run_id = client.start_run(phases=["extract", "load"])
    handler = RunlogHandler(client, run_id, phase="extract", flush_interval=0.02)
    log = logging.getLogger("job")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.addHandler(handler)
    for i in range(1, records + 1):
        if i == records // 2 + 1:
            client.complete_phase(run_id, "extract", completed_jobs=1)
            handler.phase = "load"
        level = logging.WARNING if i % 100 == 0 else logging.INFO
        log.log(level, "record %d", i)
        if i % 100 == 0:
            print("emitted %d" % i, flush=True)
            time.sleep(0.05)  # a job that works between its records
    client.complete_phase(run_id, "load", completed_jobs=1)
    client.finish(run_id, "completed", completed_jobs=2)
    handler.close()
    print("done %s dropped=%d" % (run_id, handler.dropped), flush=True)


if __name__ == "__main__":
    main()
