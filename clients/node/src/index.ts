export { RunlogClient } from './client';
export { RunHandle, BufferFullError } from './run';
export { RunlogHttpError } from './http';
export { LEVELS, MAX_ENTRIES_PER_APPEND, MAX_MESSAGE_LENGTH, messageParts } from './limits';
export type { RunlogClientOptions, StartRunInput } from './client';
export type { RunOptions, LogOptions, PhaseCounts } from './run';
export type { Level } from './limits';
export type { FollowedEntry, DownloadOptions, RunSummary, RunDetails, ListRunsOptions } from './read';
export type { components, paths } from './generated/openapi';
