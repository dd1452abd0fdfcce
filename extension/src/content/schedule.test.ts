import { describe, expect, it } from 'vitest';
import { HighlightScheduler, positionAt, wordIndexAt } from './schedule';

const words = [
  { text: 'One', start: 0, end: 200, charStart: 0, charEnd: 3 },
  { text: 'two', start: 200, end: 350, charStart: 4, charEnd: 7 },
  { text: 'three', start: 500, end: 900, charStart: 9, charEnd: 14 },
];

describe('wordIndexAt', () => {
  it('finds the word whose time span holds the moment', () => {
    expect([0, 199, 200, 349, 500, 899].map((ms) => wordIndexAt(words, ms))).toEqual([
      0, 0, 1, 1, 2, 2,
    ]);
  });

  it('finds none in a pause, before the start or after the end', () => {
    expect([-1, 350, 499, 900, 5000].map((ms) => wordIndexAt(words, ms))).toEqual([
      -1, -1, -1, -1, -1,
    ]);
  });
});

describe('positionAt', () => {
  it('advances with the wall clock while playing and stands still while paused', () => {
    expect(positionAt({ positionMs: 100, at: 1000, playing: true }, 1250)).toBe(350);
    expect(positionAt({ positionMs: 100, at: 1000, playing: false }, 1250)).toBe(100);
  });

  it('stops advancing a second after the reports stop', () => {
    expect(positionAt({ positionMs: 100, at: 1000, playing: true }, 60_000)).toBe(1100);
  });
});

describe('HighlightScheduler', () => {
  it('reports each change of word once, in reading order, from the audio clock', () => {
    const seen: number[] = [];
    const scheduler = new HighlightScheduler(words, (index) => seen.push(index));
    for (let now = 10_000; now <= 11_000; now += 50) {
      // The player's report four times a second, and the ticks between reports.
      const reportedAt = now - (now % 250);
      scheduler.tick({ positionMs: reportedAt - 10_000, at: reportedAt, playing: true }, now);
    }
    expect(seen).toEqual([0, 1, -1, 2, -1]);
  });

  it('does not step back a word when a report is a little behind the extrapolation', () => {
    const seen: number[] = [];
    const scheduler = new HighlightScheduler(words, (index) => seen.push(index));
    scheduler.tick({ positionMs: 150, at: 0, playing: true }, 60);
    scheduler.tick({ positionMs: 190, at: 100, playing: true }, 100);
    expect(seen).toEqual([1]);
  });

  it('follows a new clock report that jumps back', () => {
    const seen: number[] = [];
    const scheduler = new HighlightScheduler(words, (index) => seen.push(index));
    scheduler.tick({ positionMs: 600, at: 0, playing: true }, 0);
    scheduler.tick({ positionMs: 50, at: 10, playing: false }, 500);
    expect(seen).toEqual([2, 0]);
  });
});
