import { PLAYER_READY, type AudioCommand, type AudioEvent } from '../messages';

/** How often the position is re-reported while playing, to correct the page's extrapolation. */
const CLOCK_EVERY_MS = 250;

const audio = new Audio();
let chunk = -1;
let url: string | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

const send = (event: AudioEvent) => void chrome.runtime.sendMessage(event).catch(() => undefined);
const reportClock = () =>
  send({
    type: 'audio-clock',
    chunk,
    clock: {
      positionMs: audio.currentTime * 1000,
      at: Date.now(),
      playing: !audio.paused && !audio.ended,
    },
  });

function release(): void {
  clearInterval(timer);
  timer = undefined;
  audio.pause();
  audio.removeAttribute('src');
  if (url) URL.revokeObjectURL(url);
  url = undefined;
}

function play(command: Extract<AudioCommand, { type: 'play' }>): void {
  release();
  chunk = command.chunk;
  const bytes = Uint8Array.from(atob(command.data), (char) => char.charCodeAt(0));
  url = URL.createObjectURL(new Blob([bytes], { type: command.mime }));
  audio.src = url;
  audio
    .play()
    .catch((error: unknown) =>
      send({ type: 'audio-failed', chunk, message: (error as Error)?.name ?? 'play failed' }),
    );
}

audio.addEventListener('playing', () => {
  reportClock();
  clearInterval(timer);
  timer = setInterval(reportClock, CLOCK_EVERY_MS);
});
audio.addEventListener('pause', () => {
  clearInterval(timer);
  if (!audio.ended) reportClock();
});
audio.addEventListener('ended', () => {
  clearInterval(timer);
  send({ type: 'audio-ended', chunk });
});
audio.addEventListener('error', () => {
  if (url)
    send({ type: 'audio-failed', chunk, message: audio.error?.message || 'undecodable audio' });
});

chrome.runtime.onMessage.addListener((message: AudioCommand) => {
  if (message.target !== 'offscreen') return false;
  if (message.type === 'play') play(message);
  else if (message.type === 'pause') audio.pause();
  else if (message.type === 'resume') void audio.play();
  else release();
  return false;
});
void chrome.runtime.sendMessage(PLAYER_READY).catch(() => undefined);
