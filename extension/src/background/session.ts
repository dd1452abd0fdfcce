import type { SpeechResponse } from '../../../speech/index.ts';
import type { AudioEvent, PageMessage, Status } from '../messages';

/** An order for the player, without its routing. */
export type AudioOrder =
  | { type: 'play'; chunk: number; mime: string; data: string }
  | { type: 'pause' | 'resume' | 'stop' };

/** What one reading needs from the rest of the extension. */
export interface SessionPorts {
  speak(text: string): Promise<SpeechResponse>;
  audio(order: AudioOrder): void;
  page(message: PageMessage): void;
  status(status: Status['state']): void;
  failed(error: unknown): void;
}

/**
 * One reading of a tab's text, chunk by chunk: each chunk's speech goes to the player and its
 * words to the page; the next chunk is requested as soon as the current one starts, so it is
 * there before the current one ends.
 */
export class ReadingSession {
  private readonly requested = new Map<number, Promise<SpeechResponse>>();
  private current = -1;
  private state: Status['state'] = 'idle';
  private over = false;

  constructor(
    private readonly chunks: readonly string[],
    private readonly ports: SessionPorts,
  ) {}

  start(): void {
    this.setState('loading');
    void this.play(0);
  }

  pause(): void {
    if (!this.over) this.ports.audio({ type: 'pause' });
  }

  resume(): void {
    if (!this.over) this.ports.audio({ type: 'resume' });
  }

  stop(): void {
    if (this.over) return;
    this.end();
    this.ports.audio({ type: 'stop' });
  }

  onAudio(event: AudioEvent): void {
    if (this.over || event.chunk !== this.current) return;
    if (event.type === 'audio-clock') {
      this.setState(event.clock.playing ? 'playing' : 'paused');
      this.ports.page({ type: 'clock', chunk: event.chunk, clock: event.clock });
    } else if (event.type === 'audio-ended') {
      this.requested.delete(event.chunk);
      if (event.chunk + 1 < this.chunks.length) void this.play(event.chunk + 1);
      else this.end();
    } else {
      this.fail(new Error(`audio failed: ${event.message}`));
    }
  }

  private request(chunk: number): Promise<SpeechResponse> {
    let speech = this.requested.get(chunk);
    if (!speech) {
      speech = this.ports.speak(this.chunks[chunk]!);
      // A prefetch's failure is handled when its chunk's turn comes.
      speech.catch(() => undefined);
      this.requested.set(chunk, speech);
    }
    return speech;
  }

  private async play(chunk: number): Promise<void> {
    let speech: SpeechResponse;
    try {
      speech = await this.request(chunk);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.over) return;
    this.current = chunk;
    this.ports.page({ type: 'words', chunk, words: speech.words });
    this.ports.audio({ type: 'play', chunk, mime: speech.audio.mime, data: speech.audio.data });
    if (chunk + 1 < this.chunks.length) void this.request(chunk + 1);
  }

  private fail(error: unknown): void {
    if (this.over) return;
    this.stop();
    this.ports.failed(error);
  }

  private end(): void {
    this.over = true;
    this.setState('idle');
    this.ports.page({ type: 'finished' });
  }

  private setState(state: Status['state']): void {
    if (state === this.state) return;
    this.state = state;
    this.ports.status(state);
  }

  get finished(): boolean {
    return this.over;
  }
}
