// The Timeline tab's player: where the replay is (the cursor), whether it plays and how fast. A state
// machine with no DOM: the timeline tells it the run's bounds and is told when the cursor moves.
//
// cursor: ms since the epoch, or null: at the end (a finished run) or live (a running run).

import { clampCursor, pickSpeed, stepCursor } from './timeline-model.js';

const TICK_MS = 50;

export class Player {
  /**
   * bounds(): { start, end, finished } of the run now; onMove(cursor): the cursor moved (also when it
   * stayed: the timeline redraws); onChange(): playing or speed changed.
   */
  constructor({ bounds, onMove, onChange, now = () => performance.now(), tickMs = TICK_MS }) {
    this.bounds = bounds;
    this.onMove = onMove;
    this.onChange = onChange;
    this.now = now;
    this.tickMs = tickMs;
    this.cursor = null;
    this.playing = false;
    this.speed = 1;
    this.ready = false; // the controls work once the stored events are in
    this.timer = null;
    this.lastTick = 0;
  }

  /** The moment shown: the cursor, or the run's end (now, for a running run). */
  cursorTime() {
    return this.cursor ?? this.bounds().end;
  }

  /** The stored events are in: the player may play; a finished run replays in about half a minute. */
  becomeReady() {
    this.ready = true;
    const { start, end, finished } = this.bounds();
    if (finished) this.speed = pickSpeed(end - start);
    this.moveTo(this.cursor);
  }

  moveTo(next) {
    this.cursor = clampCursor(next, { ...this.bounds(), playing: this.playing });
    this.onMove(this.cursor);
  }

  toStart() {
    this.pause();
    this.moveTo(this.bounds().start);
  }

  toEnd() {
    this.pause();
    this.moveTo(null);
  }

  /** The scrubber at `value` of `max` (ms from the start): its maximum is the end. */
  scrub(value, max) {
    this.pause();
    this.moveTo(value >= max ? null : this.bounds().start + value);
  }

  step(events, direction) {
    this.pause();
    const target = stepCursor(events, this.cursor, direction);
    if (target !== undefined) this.moveTo(target);
  }

  setSpeed(speed) {
    this.speed = speed;
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    if (!this.ready) return;
    if (this.cursor === null) {
      if (!this.bounds().finished) return; // live already
      this.moveTo(this.bounds().start); // replay from the start
    }
    this.playing = true;
    this.lastTick = this.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.onChange();
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    clearInterval(this.timer);
    this.onChange();
  }

  tick() {
    const now = this.now();
    const next = this.cursor + (now - this.lastTick) * this.speed;
    this.lastTick = now;
    if (next >= this.bounds().end) {
      this.pause();
      this.moveTo(null); // the end of a finished run, or live for a running one
    } else this.moveTo(next);
  }

  destroy() {
    this.pause();
  }
}
