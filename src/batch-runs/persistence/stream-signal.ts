/** What a notification names: a stream id, or '*' when every follower should look (after a reconnect, or a backlog too long to name). */
export type StreamSignal = string;
export const ALL_STREAMS = '*';
