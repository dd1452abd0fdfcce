import { describe, expect, it } from 'vitest';
import type { SpeechResponse } from '../../../speech/index.ts';
import { ApiError } from './errors';
import { ReadingSession, type SessionPorts } from './session';

function speechFor(text: string): SpeechResponse {
  return {
    audio: { mime: 'audio/wav', data: btoa(text) },
    words: [{ text, start: 0, end: 100, charStart: 0, charEnd: text.length }],
    durationMs: 100,
  };
}

/** Ports that record what the session does, in order; speech answers when `answer` is called. */
function recordingPorts() {
  const log: string[] = [];
  const waiting = new Map<
    string,
    { resolve: (s: SpeechResponse) => void; reject: (e: unknown) => void }
  >();
  const ports: SessionPorts = {
    speak: (text) => {
      log.push(`speak ${text}`);
      return new Promise((resolve, reject) => waiting.set(text, { resolve, reject }));
    },
    audio: (order) =>
      log.push(order.type === 'play' ? `play ${order.chunk} ${atob(order.data)}` : order.type),
    page: (message) =>
      log.push(`page ${message.type}${'chunk' in message ? ` ${message.chunk}` : ''}`),
    status: (state) => log.push(`status ${state}`),
    failed: (error) => log.push(`failed ${(error as ApiError).code ?? (error as Error).message}`),
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    log,
    ports,
    answer: async (text: string) => {
      waiting.get(text)!.resolve(speechFor(text));
      await settle();
    },
    refuse: async (text: string, error: unknown) => {
      waiting.get(text)!.reject(error);
      await settle();
    },
  };
}

const clock = (chunk: number, playing = true) =>
  ({ type: 'audio-clock', chunk, clock: { positionMs: 0, at: 0, playing } }) as const;

describe('ReadingSession', () => {
  it('requests the next chunk as soon as the current one plays, and plays it when the current ends', async () => {
    const { log, ports, answer } = recordingPorts();
    const session = new ReadingSession(['one', 'two', 'three'], ports);
    session.start();
    await answer('one');
    session.onAudio(clock(0));
    await answer('two');
    expect(log).toEqual([
      'status loading',
      'speak one',
      'page words 0',
      'play 0 one',
      'speak two',
      'status playing',
      'page clock 0',
    ]);
    log.length = 0;

    session.onAudio({ type: 'audio-ended', chunk: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['page words 1', 'play 1 two', 'speak three']);
    await answer('three');
    session.onAudio({ type: 'audio-ended', chunk: 1 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    log.length = 0;
    session.onAudio({ type: 'audio-ended', chunk: 2 });
    expect(log).toEqual(['status idle', 'page finished']);
    expect(session.finished).toBe(true);
  });

  it('forwards pause and resume, and shows the paused state from the player', async () => {
    const { log, ports, answer } = recordingPorts();
    const session = new ReadingSession(['one'], ports);
    session.start();
    await answer('one');
    log.length = 0;
    session.pause();
    session.onAudio(clock(0, false));
    session.resume();
    session.onAudio(clock(0, true));
    expect(log).toEqual([
      'pause',
      'status paused',
      'page clock 0',
      'resume',
      'status playing',
      'page clock 0',
    ]);
  });

  it('ignores the player’s news about a chunk it no longer plays', async () => {
    const { log, ports, answer } = recordingPorts();
    const session = new ReadingSession(['one', 'two'], ports);
    session.start();
    await answer('one');
    log.length = 0;
    session.onAudio(clock(1));
    session.onAudio({ type: 'audio-ended', chunk: 1 });
    expect(log).toEqual([]);
  });

  it('stops and reports once when a chunk’s speech is refused', async () => {
    const { log, ports, refuse } = recordingPorts();
    const session = new ReadingSession(['one', 'two'], ports);
    session.start();
    await refuse('one', new ApiError(402, 'quota_exhausted', 'quota used up'));
    expect(log).toEqual([
      'status loading',
      'speak one',
      'status idle',
      'page finished',
      'stop',
      'failed quota_exhausted',
    ]);
    session.stop();
    expect(log.filter((line) => line === 'stop')).toHaveLength(1);
  });

  it('reports a prefetched chunk’s failure only when its turn comes', async () => {
    const { log, ports, answer, refuse } = recordingPorts();
    const session = new ReadingSession(['one', 'two'], ports);
    session.start();
    await answer('one');
    await refuse('two', new ApiError(503, 'upstream_failed', 'down'));
    expect(log).not.toContain('failed upstream_failed');
    session.onAudio({ type: 'audio-ended', chunk: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.slice(-1)).toEqual(['failed upstream_failed']);
  });

  it('stops on a player failure', async () => {
    const { log, ports, answer } = recordingPorts();
    const session = new ReadingSession(['one'], ports);
    session.start();
    await answer('one');
    session.onAudio({ type: 'audio-failed', chunk: 0, message: 'NotAllowedError' });
    expect(log.slice(-2)).toEqual(['stop', 'failed audio failed: NotAllowedError']);
  });
});
