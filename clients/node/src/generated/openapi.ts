/* Generated from runlog's OpenAPI document (/api/docs-json) by openapi-typescript: do not edit; run `npm run client:types`. */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** ok once the database answers SELECT 1 (no token) */
        get: operations["HealthController_check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers; touches nothing (no token) */
        get: operations["HealthProbesController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the write pool is not exhausted and the database answers within 2 s (no token) */
        get: operations["HealthProbesController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/batch/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a batch run */
        post: operations["IngestionController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/batch/runs/{batchRunId}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Append 1 to 1000 log entries; entries whose seq is stored are not stored again */
        post: operations["IngestionController_append"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/batch/runs/{batchRunId}/phases/{phase}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete a phase with its job counts */
        post: operations["IngestionController_completePhase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/batch/runs/{batchRunId}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Keep a quiet run alive: renews its lease (RUN_LEASE_SECONDS); appends renew it too */
        post: operations["IngestionController_heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/batch/runs/{batchRunId}/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish a run as completed, failed or partial */
        post: operations["IngestionController_finish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs, newest first, with keyset pagination */
        get: operations["AdminRunsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run, with its log entry count and phases */
        get: operations["AdminRunsController_details"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}/logs/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The number of entries in a run's log */
        get: operations["AdminRunsController_count"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a run's log (json, txt, ndjson), optionally narrowed */
        get: operations["AdminRunsController_logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's phases and events, rebuilt from its event stream; ?at= shows it as it stood then */
        get: operations["AdminTimelineController_timeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events: stored events in order, then live ones until the run finishes */
        get: operations["AdminTimelineController_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Compare a run with another: phases side by side, and the lines only in one or the other after normalising numbers, timestamps, ids and UUIDs */
        get: operations["AdminCompareController_compare"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/batch/history/{batchRunId}/logs/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search a run's log: matching entries with the entries around them, the total count, a cursor */
        get: operations["AdminSearchController_searchRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search every run: runs that match, newest first, each with its match count and first matches */
        get: operations["AdminSearchController_searchRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/onboarding/{portfolioId}/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start the onboarding batch for a portfolio; the caller owns the run */
        post: operations["OnboardingController_trigger"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/onboarding/status/{portfolioId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The portfolio's latest run and its progress */
        get: operations["OnboardingController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/onboarding/status/{portfolioId}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the latest run's log, or a named run of this portfolio */
        get: operations["OnboardingController_logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/onboarding/status/{portfolioId}/logs/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the latest run's log, or a named run of this portfolio (the admin's in-run search, for the owner's runs) */
        get: operations["OnboardingController_searchLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok" | "unavailable";
        };
        /** @description Each check: "ok", or why it failed. */
        ReadinessChecks: {
            /** @example ok */
            write_pool: string;
            /** @example ok */
            database: string;
        };
        Readiness: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            checks: components["schemas"]["ReadinessChecks"];
        };
        /** @description Every error answer (4xx, 5xx) has this shape; see docs/api.md, Errors. */
        Error: {
            /**
             * @description The HTTP status, repeated.
             * @example 404
             */
            statusCode: number;
            /**
             * @description The status's reason phrase.
             * @example Not Found
             */
            error: string;
            /**
             * @description What is wrong; a validation error lists one item per field (array items by index).
             * @example batch run "nope" does not exist
             */
            message: string | string[];
            /**
             * @description Machine-readable: a rule's own code, else the status's generic one.
             * @example run_not_found
             * @enum {string}
             */
            code: "validation_failed" | "unauthorized" | "forbidden" | "not_found" | "request_timeout" | "conflict" | "payload_too_large" | "unsupported_media_type" | "too_many_requests" | "internal_error" | "service_unavailable" | "invalid_input" | "run_not_found" | "run_exists" | "run_finished" | "seq_gap" | "phase_completed" | "portfolio_onboarding" | "no_comparable_run" | "malformed_json" | "malformed_otlp" | "search_too_broad" | "invalid_regex" | "client_error";
            /**
             * @description The field at fault, when one is.
             * @example entries.seq
             */
            field?: string;
        };
        /** @description The answer to a start. */
        StartedRun: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            /** @enum {string} */
            status: "running";
            /**
             * Format: date-time
             * @description When the run started.
             */
            started_at: string;
        };
        StartRunDto: {
            /**
             * @description Not "." or ".." (clients rewrite such a path segment). Generated as batch_YYYYMMDD_HHMMSS_xxxx when absent.
             * @example batch_20260111_140711
             */
            batch_run_id?: string | null;
            /** Format: uuid */
            portfolio_id?: string | null;
            /** @description Who the run belongs to (a user sub); owners may read their runs. No NUL. */
            owner_id?: string | null;
            total_jobs?: number | null;
            /** @description Phase names, unique, in running order. */
            phases?: string[] | null;
        };
        Appended: {
            /** @description Entries stored by this request (those whose seq was stored already are not counted). */
            appended: number;
            /** @description The run's last seq. */
            last_seq: number;
        };
        LogEntryDto: {
            /** @enum {string} */
            level: "info" | "warning" | "error";
            /** @description Any Unicode text; NUL is rejected. */
            message: string;
            /**
             * Format: date-time
             * @description When the line was produced, with an offset (Z or ±hh:mm); default (absent or null): when it was accepted.
             */
            timestamp?: string | null;
            /** @description Default (absent or null): the run's current phase. */
            phase?: string | null;
            /** @description For idempotent retries: an entry whose seq is stored is not stored again; absent or null: the next one. */
            seq?: number | null;
        };
        AppendLogsDto: {
            entries: components["schemas"]["LogEntryDto"][];
        };
        /** @description A run, wherever one is returned (docs/api.md, The run). */
        Run: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            /** Format: uuid */
            portfolio_id: string | null;
            /** @description The user (token sub) who owns the run. */
            owner_id: string | null;
            /**
             * @description The stored status.
             * @enum {string}
             */
            status: "running" | "completed" | "failed" | "partial";
            /**
             * Format: date-time
             * @description When the run started (UTC, milliseconds).
             */
            started_at: string;
            /**
             * Format: date-time
             * @description When the run finished; null while it runs.
             */
            completed_at: string | null;
            total_jobs: number;
            completed_jobs: number;
            failed_jobs: number;
            /** @description Entries refused after the log reached MAX_ENTRIES_PER_RUN (counted, not stored). */
            dropped_entries: number;
        };
        CompletePhaseDto: {
            completed_jobs?: number | null;
            failed_jobs?: number | null;
            /**
             * @description Default (absent or null): completed.
             * @enum {string|null}
             */
            status?: "completed" | "failed" | null;
        };
        Heartbeat: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            /** @description How long the renewed lease lasts (RUN_LEASE_SECONDS). */
            lease_seconds: number;
        };
        FinishRunDto: {
            /** @enum {string} */
            status: "completed" | "failed" | "partial";
            /** @description Default: the sum of the phases' counts. */
            completed_jobs?: number | null;
            failed_jobs?: number | null;
        };
        /** @description A run in the admin list: the run, its current phase and its log size. */
        RunListItem: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            /** Format: uuid */
            portfolio_id: string | null;
            /** @description The user (token sub) who owns the run. */
            owner_id: string | null;
            /**
             * @description The stored status.
             * @enum {string}
             */
            status: "running" | "completed" | "failed" | "partial";
            /**
             * Format: date-time
             * @description When the run started (UTC, milliseconds).
             */
            started_at: string;
            /**
             * Format: date-time
             * @description When the run finished; null while it runs.
             */
            completed_at: string | null;
            total_jobs: number;
            completed_jobs: number;
            failed_jobs: number;
            /** @description Entries refused after the log reached MAX_ENTRIES_PER_RUN (counted, not stored). */
            dropped_entries: number;
            current_phase: string | null;
            log_entry_count: number;
        };
        /** @description A page of the admin list, newest first. */
        RunListPage: {
            runs: components["schemas"]["RunListItem"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            next_cursor: string | null;
        };
        Phase: {
            name: string;
            /** @enum {string} */
            status: "pending" | "running" | "completed" | "failed";
            /**
             * Format: date-time
             * @description Null while pending.
             */
            started_at: string | null;
            /**
             * Format: date-time
             * @description Null until it ends.
             */
            completed_at: string | null;
            completed_jobs: number;
            failed_jobs: number;
        };
        /** @description One run with its current phase, log size and phases. */
        RunDetails: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            /** Format: uuid */
            portfolio_id: string | null;
            /** @description The user (token sub) who owns the run. */
            owner_id: string | null;
            /**
             * @description The stored status.
             * @enum {string}
             */
            status: "running" | "completed" | "failed" | "partial";
            /**
             * Format: date-time
             * @description When the run started (UTC, milliseconds).
             */
            started_at: string;
            /**
             * Format: date-time
             * @description When the run finished; null while it runs.
             */
            completed_at: string | null;
            total_jobs: number;
            completed_jobs: number;
            failed_jobs: number;
            /** @description Entries refused after the log reached MAX_ENTRIES_PER_RUN (counted, not stored). */
            dropped_entries: number;
            current_phase: string | null;
            log_entry_count: number;
            phases: components["schemas"]["Phase"][];
        };
        EntryCount: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            count: number;
        };
        /** @description A stored log entry, as every download format shows it. */
        LogEntry: {
            seq: number;
            /**
             * Format: date-time
             * @description When the line was produced (UTC, milliseconds).
             */
            timestamp: string;
            /** @enum {string} */
            level: "info" | "warning" | "error";
            phase: string | null;
            message: string;
            /** @description The trace the line was written in (entries from OTLP producers that had one). */
            trace_id?: string;
            /** @description The span the line was written in. */
            span_id?: string;
        };
        /** @description A log downloaded as json: the run, where it was read from, its entries and their number. */
        LogDocument: {
            /**
             * @description The run's id.
             * @example nightly-import-2026-01-11
             */
            batch_run_id: string;
            /** Format: uuid */
            portfolio_id: string | null;
            /** @description The user (token sub) who owns the run. */
            owner_id: string | null;
            /**
             * @description The stored status.
             * @enum {string}
             */
            status: "running" | "completed" | "failed" | "partial";
            /**
             * Format: date-time
             * @description When the run started (UTC, milliseconds).
             */
            started_at: string;
            /**
             * Format: date-time
             * @description When the run finished; null while it runs.
             */
            completed_at: string | null;
            total_jobs: number;
            completed_jobs: number;
            failed_jobs: number;
            /** @description Entries refused after the log reached MAX_ENTRIES_PER_RUN (counted, not stored). */
            dropped_entries: number;
            /**
             * @description Where the log was read from.
             * @enum {string}
             */
            source: "memory" | "snapshot" | "entries";
            entries: components["schemas"]["LogEntry"][];
            /** @description The entries in this answer, after filters. */
            entry_count: number;
            /** @description The seq of the first entry returned; null when none. */
            first_seq: number | null;
            /** @description The seq of the last entry returned; null when none. */
            last_seq: number | null;
            /** @description The run's stored entry count (X-Runlog-Total-Entries). */
            total_entries: number;
            /** @description Non-null when more entries matching the filter follow: pass it as after_seq. Null: nothing more is stored. */
            next_after_seq: number | null;
        };
        /** @description data of BatchRunStarted: the run as it was started. */
        BatchRunStartedData: {
            batch_run_id: string;
            /** Format: uuid */
            portfolio_id: string | null;
            owner_id: string | null;
            total_jobs: number;
            phases: string[];
            /** Format: date-time */
            started_at: string;
            /** @description Started by the onboarding route (one running onboarding run per portfolio). */
            onboarding: boolean;
        };
        LevelCounts: {
            info: number;
            warning: number;
            error: number;
        };
        /** @description data of LogAppended: the seqs appended and their counts; on the event stream also the entries. */
        LogAppendedData: {
            first_seq: number;
            last_seq: number;
            entry_count: number;
            levels: components["schemas"]["LevelCounts"];
            /** @description On the event stream only: the entries themselves, in seq order. */
            entries?: components["schemas"]["LogEntry"][];
        };
        /** @description data of PhaseCompleted. */
        PhaseCompletedData: {
            phase: string;
            /** @enum {string} */
            status: "completed" | "failed";
            completed_jobs: number;
            failed_jobs: number;
            /** Format: date-time */
            completed_at: string;
            /** @description The last seq when the phase ended. */
            last_seq: number;
        };
        /** @description data of BatchRunFinished. */
        BatchRunFinishedData: {
            /** @enum {string} */
            status: "completed" | "failed" | "partial";
            completed_jobs: number;
            failed_jobs: number;
            /** Format: date-time */
            completed_at: string;
            last_seq: number;
            /** @description Why runlog itself finished the run (its writer went silent); null when the producer did. */
            reason: string | null;
        };
        /** @description data of LogEntriesDropped: entries refused past MAX_ENTRIES_PER_RUN. */
        LogEntriesDroppedData: {
            count: number;
            /** @description The seq of the warning that marks the cut. */
            cut_at_seq: number;
        };
        /** @description One event of a run's stream. */
        RunEvent: {
            /** @description The event's version in the run's stream (1, 2, 3...). */
            version: number;
            /** @enum {string} */
            type: "BatchRunStarted" | "LogAppended" | "PhaseCompleted" | "BatchRunFinished" | "LogEntriesDropped";
            /** Format: date-time */
            occurred_at: string;
            /** @description What happened, in snake_case; its schema is the one of its type: BatchRunStartedData, LogAppendedData, PhaseCompletedData, BatchRunFinishedData, LogEntriesDroppedData (docs/api.md, Events: names and data). */
            data: components["schemas"]["BatchRunStartedData"] | components["schemas"]["LogAppendedData"] | components["schemas"]["PhaseCompletedData"] | components["schemas"]["BatchRunFinishedData"] | components["schemas"]["LogEntriesDroppedData"];
        };
        TimelinePhase: {
            name: string;
            /** @enum {string} */
            status: "pending" | "running" | "completed" | "failed";
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            completed_at: string | null;
            /** @description Null until the phase has started. */
            duration_ms: number | null;
            entry_count: number;
            warning_count: number;
            error_count: number;
        };
        /** @description The run rebuilt from its event stream; streamed, events first. */
        Timeline: {
            batch_run_id: string;
            events: components["schemas"]["RunEvent"][];
            /** @enum {string} */
            status: "running" | "completed" | "failed" | "partial";
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            completed_at: string | null;
            /**
             * Format: date-time
             * @description The moment asked for with ?at=, else null.
             */
            at: string | null;
            entry_count: number;
            phases: components["schemas"]["TimelinePhase"][];
        };
        /** @description One Server-Sent Events message of GET .../events: `id: <version>`, `event: <type>`, `data: <RunEvent as JSON>`. Comment lines (`: keepalive`) come between messages while nothing happens. */
        RunEventMessage: {
            /** @description The event's version: send it as Last-Event-ID to resume after it. */
            id: string;
            /**
             * @description The event type, the name an EventSource listens to.
             * @enum {string}
             */
            event: "BatchRunStarted" | "LogAppended" | "PhaseCompleted" | "BatchRunFinished" | "LogEntriesDropped";
            /** @description The data line, parsed: the event as JSON. */
            data: components["schemas"]["RunEvent"];
        };
        /** @description A phase of either run, side by side; null on the side whose run has no such phase. */
        ComparedPhase: {
            name: string;
            /** @description The phase in this run; null when the run has no such phase. */
            run?: {
                /** @enum {string} */
                status: "pending" | "running" | "completed" | "failed";
                /** @description From its start to its end; null until it has ended. */
                duration_ms: number | null;
                /** @description Its entries among those compared. */
                entry_count: number;
            } | null;
            /** @description The phase in this run; null when the run has no such phase. */
            other?: {
                /** @enum {string} */
                status: "pending" | "running" | "completed" | "failed";
                /** @description From its start to its end; null until it has ended. */
                duration_ms: number | null;
                /** @description Its entries among those compared. */
                entry_count: number;
            } | null;
        };
        /** @description A log entry only in one of the two runs (after normalisation), as stored. */
        DifferingLine: {
            seq: number;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            level: "info" | "warning" | "error";
            phase: string | null;
            /** @description The message as stored (ANSI codes included). */
            message: string;
        };
        /** @description A run compared with another (docs/api.md, Compare two runs). */
        RunComparison: {
            /** @description The run asked about. */
            run: components["schemas"]["Run"];
            /** @description The run it is compared with. */
            other: components["schemas"]["Run"];
            /** @description Both runs' phases: the run's in its order, then the other's it lacks. */
            phases: components["schemas"]["ComparedPhase"][];
            /** @description Lines only in the run, in seq order, at most limit. */
            only_in_run: components["schemas"]["DifferingLine"][];
            /** @description Lines only in the other run, in seq order, at most limit. */
            only_in_other: components["schemas"]["DifferingLine"][];
            /** @description A list was cut at limit, or a run has more entries than are compared (200,000). */
            truncated: boolean;
            /** @description The normalisation rules applied, in order. */
            normalisation: ("ansi" | "uuid" | "timestamp" | "hex_id" | "number" | "whitespace")[];
        };
        /** @description A matching entry with the entries around it. */
        SearchMatch: {
            /** @description The entry; its message as stored (it may hold ANSI codes). */
            entry: components["schemas"]["LogEntry"];
            /** @description The message without ANSI escape sequences: what was matched. */
            text: string;
            /** @description Each match in text as [start, end): UTF-16 offsets, end exclusive. */
            ranges: number[][];
            /** @description Up to `context` entries just before, in seq order, of any level or phase. */
            before: components["schemas"]["LogEntry"][];
            /** @description Up to `context` entries just after, in seq order, of any level or phase. */
            after: components["schemas"]["LogEntry"][];
        };
        /** @description A page of the matches in one run, in seq order. */
        RunSearchPage: {
            batch_run_id: string;
            q: string;
            regex: boolean;
            /** @description All matches in the run (level and phase applied), not only this page. */
            total_matches: number;
            matches: components["schemas"]["SearchMatch"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            next_cursor: string | null;
        };
        /** @description One of a run's first matches. */
        SearchLine: {
            seq: number;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            level: "info" | "warning" | "error";
            phase: string | null;
            /** @description The message without ANSI escape sequences: what was matched. */
            text: string;
            /** @description Each match in text as [start, end): UTF-16 offsets, end exclusive. */
            ranges: number[][];
        };
        /** @description A run with matches: how many, and its first ones. */
        RunMatches: {
            run: components["schemas"]["Run"];
            /** @description Matches in the run (level and phase applied). */
            match_count: number;
            /** @description The run's first 3 matches, in seq order. */
            first_matches: components["schemas"]["SearchLine"][];
        };
        /** @description Runs with matches, newest first (started_at, then batch_run_id, descending). */
        RunsSearchPage: {
            q: string;
            regex: boolean;
            runs: components["schemas"]["RunMatches"][];
            /** @description Pass as cursor for the next page; null on the last page. */
            next_cursor: string | null;
        };
        OnboardingStarted: {
            /**
             * @description The run started; its status can be polled at once.
             * @example batch_20260111_140715_955f
             */
            batch_run_id: string;
        };
        /** @description The portfolio's latest run (for a user: their latest) and its progress. */
        OnboardingStatus: {
            /** Format: uuid */
            portfolio_id: string;
            batch_run_id: string;
            /** @enum {string} */
            status: "running" | "completed" | "failed" | "partial";
            current_phase: string | null;
            /** Format: date-time */
            started_at: string;
            /** Format: date-time */
            completed_at: string | null;
            total_jobs: number;
            completed_jobs: number;
            failed_jobs: number;
            /** @description 100 once completed, else (completed + failed jobs) / total jobs, rounded. */
            progress_percent: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    HealthController_check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"status":"ok"} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description {"status":"unavailable"}: the database did not answer. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    HealthProbesController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"status":"ok"} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    HealthProbesController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready: every check is ok. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready: the failed check says why. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    IngestionController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description May be empty or absent: a run with a generated id. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["StartRunDto"];
            };
        };
        responses: {
            /** @description The run is started. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartedRun"];
                };
            };
            /** @description A field is invalid or unknown (validation_failed), or a value the rules refuse (invalid_input); malformed JSON (malformed_json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: service, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_exists: a run with this batch_run_id exists (it is left as it was). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is over 5 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is not JSON (Content-Type: application/json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    IngestionController_append: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppendLogsDto"];
            };
        };
        responses: {
            /** @description The entries are stored (or were already: an idempotent retry). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appended"];
                };
            };
            /** @description An invalid entry, 0 or more than 1000 entries, a malformed id; nothing is stored. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: service, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: the run does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_finished, or seq_gap; nothing is stored. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is over 5 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is not JSON (Content-Type: application/json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    IngestionController_completePhase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchRunId: string;
                /** @description The phase name, URL-encoded. */
                phase: string;
            };
            cookie?: never;
        };
        /** @description May be empty or absent: no job counts, status completed. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CompletePhaseDto"];
            };
        };
        responses: {
            /** @description The run, with the phase completed (the same completion again changes nothing). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description An invalid field or phase name. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: service, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: the run does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_finished; phase_completed (already completed with the other status). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is over 5 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is not JSON (Content-Type: application/json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    IngestionController_heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The lease is renewed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Heartbeat"];
                };
            };
            /** @description A malformed id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: service, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: the run does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_finished: a finished run has no lease. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is over 5 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is not JSON (Content-Type: application/json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    IngestionController_finish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FinishRunDto"];
            };
        };
        responses: {
            /** @description The run, finished (finishing again with the same status changes nothing). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description A missing or other status, an invalid count. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: service, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: the run does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_finished: finished already with another status (the first one stays). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is over 5 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request body is not JSON (Content-Type: application/json). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminRunsController_list: {
        parameters: {
            query?: {
                status?: "running" | "completed" | "failed" | "partial";
                portfolio_id?: string;
                /** @description Decimal digits only. */
                limit?: number;
                /** @description next_cursor of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs; next_cursor is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunListPage"];
                };
            };
            /** @description limit outside 1-200 or not decimal digits, an unknown status, portfolio_id not a UUID, an invalid cursor, an unknown query field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminRunsController_details: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetails"];
                };
            };
            /** @description The id cannot be a run id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminRunsController_count: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run's stored entry count. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryCount"];
                };
            };
            /** @description The id cannot be a run id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminRunsController_logs: {
        parameters: {
            query?: {
                /** @description Only the entries with seq from around_seq - context to around_seq + context (then level/phase, where the route takes them). Not with after_seq. Decimal digits only. */
                around_seq?: number;
                /** @description With around_seq: the entries on either side. Decimal digits only. */
                context?: number;
                /** @description TXT: strip every ANSI escape sequence, or keep SGR (colour, bold) raw. JSON and NDJSON keep messages as stored. */
                ansi?: "strip" | "keep";
                format?: "json" | "txt" | "ndjson";
                /** @description Only entries of this level. */
                level?: "info" | "warning" | "error";
                /** @description Only entries of this phase. */
                phase?: string;
                /** @description Only entries with a greater seq. Decimal digits only. */
                after_seq?: number;
                /** @description Decimal digits only. */
                limit?: number;
            };
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The log, streamed (chunked); the media type follows ?format= (default json). A download that fails half-way is cut, never sent short as if whole. */
            200: {
                headers: {
                    /** @description attachment; filename="<batch_run_id>_logs.<format>" */
                    "Content-Disposition"?: string;
                    /** @description The run's stored entry count (every format; the answer may hold fewer: a filter, a limit, around_seq). */
                    "X-Runlog-Total-Entries"?: number;
                    /** @description Entries refused at the run's entry cap (MAX_ENTRIES_PER_RUN): counted, never stored. */
                    "X-Runlog-Dropped-Entries"?: number;
                    /** @description Downloads allowed per minute per principal. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Downloads left in this minute. */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window resets. */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogDocument"];
                    "text/plain": string;
                    "application/x-ndjson": string;
                };
            };
            /** @description An unknown format or ansi, an invalid filter, around_seq with after_seq, context without around_seq, an unknown query field, a malformed id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many downloads (per minute, or in flight at once); see Retry-After. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminTimelineController_timeline: {
        parameters: {
            query?: {
                /** @description Show the run as it stood at this moment; with an offset (Z or ±hh:mm). */
                at?: string;
            };
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The timeline, streamed: events first, the summary after them; cut, never sent short, if it fails half-way. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description A malformed at (or one without an offset), a malformed id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminTimelineController_stream: {
        parameters: {
            query?: {
                /** @description Replay the stored events at N times their original pace; default: as fast as possible. */
                speed?: number;
            };
            header?: {
                /** @description Last-Event-ID: resume after this event version. */
                "last-event-id"?: string;
            };
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream: the stored events in order, then live ones until the run finishes. Each message: id (the version), event (BatchRunStarted, LogAppended, PhaseCompleted, BatchRunFinished or LogEntriesDropped) and data (the event as JSON); the schema describes one message. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["RunEventMessage"];
                };
            };
            /** @description The run is finished and Last-Event-ID is its last event: nothing more will come. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A malformed Last-Event-ID or speed, a malformed id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many live event streams for this principal (SSE_MAX_PER_PRINCIPAL); see Retry-After. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The server holds its most live event streams (SSE_MAX_CONNECTIONS), or the database is unreachable; see Retry-After. */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminCompareController_compare: {
        parameters: {
            query: {
                /** @description The run to compare with: a run id, or `last_completed` for the newest completed run other than this one of the same portfolio (of the same batch name when the run has no portfolio). */
                with: string;
                /** @description Lines each "only in" list holds at most. Decimal digits only. */
                limit?: number;
            };
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The comparison. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunComparison"];
                };
            };
            /** @description with missing or not a run id, limit outside 1-1000 or not decimal digits, an unknown query field, a malformed id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run (either one); no_comparable_run: with=last_completed found no completed run to compare with. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminSearchController_searchRun: {
        parameters: {
            query: {
                /** @description A case-insensitive substring; with regex=true a PostgreSQL regular expression. */
                q: string;
                /** @description q is a PostgreSQL regular expression (case-insensitive, time-bounded). */
                regex?: boolean;
                /** @description Only entries of this level. */
                level?: "info" | "warning" | "error";
                /** @description Only entries of this phase. */
                phase?: string;
                /** @description next_cursor of the previous page. */
                cursor?: string;
                /** @description Entries before and after each match. Decimal digits only. */
                context?: number;
                /** @description Matches per page. Decimal digits only. */
                limit?: number;
            };
            header?: never;
            path: {
                batchRunId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of matches in seq order; next_cursor is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSearchPage"];
                };
            };
            /** @description validation_failed: q missing or longer than 200 characters, a limit or context out of range, an unknown level, an invalid cursor, an unknown query field; invalid_regex (field q): regex=true and q is no valid PostgreSQL regular expression; search_too_broad (field q): the search ran past SEARCH_STATEMENT_TIMEOUT_MS; narrow it. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description run_not_found: no such run. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    AdminSearchController_searchRuns: {
        parameters: {
            query: {
                /** @description A case-insensitive substring; with regex=true a PostgreSQL regular expression. */
                q: string;
                /** @description q is a PostgreSQL regular expression (case-insensitive, time-bounded). */
                regex?: boolean;
                /** @description Only entries of this level. */
                level?: "info" | "warning" | "error";
                /** @description Only entries of this phase. */
                phase?: string;
                /** @description next_cursor of the previous page. */
                cursor?: string;
                status?: "running" | "completed" | "failed" | "partial";
                portfolio_id?: string;
                /** @description Runs started at or after this moment; with an offset (Z or ±hh:mm). */
                since?: string;
                /** @description Runs started at or before this moment; with an offset (Z or ±hh:mm). */
                until?: string;
                /** @description Runs per page. Decimal digits only. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs with matches; next_cursor is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunsSearchPage"];
                };
            };
            /** @description validation_failed: q missing or longer than 200 characters, a limit or context out of range, an unknown level, an invalid cursor, an unknown query field; invalid_regex (field q): regex=true and q is no valid PostgreSQL regular expression; search_too_broad (field q): the search ran past SEARCH_STATEMENT_TIMEOUT_MS; narrow it. Also: an unknown status, portfolio_id not a UUID, since/until not a date-time with an offset. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    OnboardingController_trigger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                portfolioId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run is stored and runs in the background. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnboardingStarted"];
                };
            };
            /** @description portfolioId must be a UUID. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: user, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description portfolio_onboarding: an onboarding run of the portfolio is running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    OnboardingController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                portfolioId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest run visible to the caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnboardingStatus"];
                };
            };
            /** @description portfolioId must be a UUID. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: user, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not_found: no run of this portfolio visible to the caller. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    OnboardingController_logs: {
        parameters: {
            query?: {
                /** @description Only the entries with seq from around_seq - context to around_seq + context (then level/phase, where the route takes them). Not with after_seq. Decimal digits only. */
                around_seq?: number;
                /** @description With around_seq: the entries on either side. Decimal digits only. */
                context?: number;
                /** @description TXT: strip every ANSI escape sequence, or keep SGR (colour, bold) raw. JSON and NDJSON keep messages as stored. */
                ansi?: "strip" | "keep";
                format?: "json" | "txt" | "ndjson";
                /** @description A run of this portfolio; default: the portfolio's latest run. */
                batch_run_id?: string;
            };
            header?: never;
            path: {
                portfolioId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The log, streamed (chunked); the media type follows ?format= (default txt). A download that fails half-way is cut, never sent short as if whole. */
            200: {
                headers: {
                    /** @description attachment; filename="<batch_run_id>_logs.<format>" */
                    "Content-Disposition"?: string;
                    /** @description The run's stored entry count (every format; the answer may hold fewer: a filter, a limit, around_seq). */
                    "X-Runlog-Total-Entries"?: number;
                    /** @description Entries refused at the run's entry cap (MAX_ENTRIES_PER_RUN): counted, never stored. */
                    "X-Runlog-Dropped-Entries"?: number;
                    /** @description Downloads allowed per minute per principal. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Downloads left in this minute. */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Seconds until the window resets. */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogDocument"];
                    "text/plain": string;
                    "application/x-ndjson": string;
                };
            };
            /** @description An unknown format or ansi, a malformed batch_run_id, an invalid around_seq or context, an unknown query field, portfolioId not a UUID. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: user, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not_found: no run visible; batch_run_id of another portfolio, of another user, or unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many downloads (per minute, or in flight at once); see Retry-After. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    OnboardingController_searchLogs: {
        parameters: {
            query: {
                /** @description A case-insensitive substring; with regex=true a PostgreSQL regular expression. */
                q: string;
                /** @description q is a PostgreSQL regular expression (case-insensitive, time-bounded). */
                regex?: boolean;
                /** @description Only entries of this level. */
                level?: "info" | "warning" | "error";
                /** @description Only entries of this phase. */
                phase?: string;
                /** @description next_cursor of the previous page. */
                cursor?: string;
                /** @description Entries before and after each match. Decimal digits only. */
                context?: number;
                /** @description Matches per page. Decimal digits only. */
                limit?: number;
                /** @description A run of this portfolio; default: the portfolio's latest run. */
                batch_run_id?: string;
            };
            header?: never;
            path: {
                portfolioId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of matches in seq order; next_cursor is null on the last page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSearchPage"];
                };
            };
            /** @description validation_failed: q missing or longer than 200 characters, a limit or context out of range, an unknown level, an invalid cursor, an unknown query field; invalid_regex (field q): regex=true and q is no valid PostgreSQL regular expression; search_too_broad (field q): the search ran past SEARCH_STATEMENT_TIMEOUT_MS; narrow it. Also: a malformed batch_run_id, portfolioId not a UUID. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No bearer token, or one that is invalid or expired. */
            401: {
                headers: {
                    /** @description Bearer, or Bearer error="invalid_token" when a token was sent but refused. */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The token's role may not call this route (allowed: user, admin). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description not_found: no run visible; batch_run_id of another portfolio, of another user, or unknown. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent). */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
