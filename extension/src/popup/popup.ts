import { SPEED, VOICES } from '../../../speech/index.ts';
import {
  SETTINGS_KEY,
  STATUS_KEY,
  type ControlMessage,
  type Settings,
  type Status,
} from '../messages';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function send(message: ControlMessage): Promise<unknown> {
  const answer = (await chrome.runtime.sendMessage(message)) as
    { ok: true; result: unknown } | { ok: false; message: string };
  if (!answer.ok) throw new Error(answer.message);
  return answer.result;
}

const STATE_TEXT: Record<Status['state'], string> = {
  idle: '',
  loading: 'Preparing the speech…',
  playing: 'Reading aloud',
  paused: 'Paused',
};

function showStatus(status: Status | undefined): void {
  $('state').textContent = STATE_TEXT[status?.state ?? 'idle'];
  showError(status?.error);
}

function showError(error: Status['error'] | { message: string } | undefined): void {
  const box = $('error');
  box.hidden = !error;
  box.replaceChildren(error?.message ?? '');
  const link = error && 'link' in error ? error.link : undefined;
  if (link) {
    const anchor = document.createElement('a');
    anchor.href = link.url;
    anchor.target = '_blank';
    anchor.rel = 'noopener';
    anchor.textContent = link.text;
    box.append(' ', anchor);
  }
}

async function showAccount(): Promise<void> {
  const { email } = (await send({ type: 'account' })) as { email?: string };
  $('signed-in').hidden = !email;
  $('signed-in').textContent = email ? `Signed in as ${email}` : '';
  $('sign-out').hidden = !email;
  $('sign-in').hidden = !!email;
}

async function setUpSettings(): Promise<void> {
  const stored = (await chrome.storage.sync.get(SETTINGS_KEY))[SETTINGS_KEY] as
    Partial<Settings> | undefined;
  const voice = $<HTMLSelectElement>('voice');
  voice.append(...VOICES.map((name) => new Option(name, name)));
  voice.value = stored?.voice ?? VOICES[0];
  const speed = $<HTMLInputElement>('speed');
  speed.min = String(SPEED.min);
  speed.max = String(SPEED.max);
  speed.value = String(stored?.speed ?? SPEED.default);
  const save = () => {
    $('speed-value').textContent = `${speed.value}×`;
    void chrome.storage.sync.set({
      [SETTINGS_KEY]: { voice: voice.value, speed: Number(speed.value) } satisfies Settings,
    });
  };
  $('speed-value').textContent = `${speed.value}×`;
  voice.addEventListener('change', save);
  speed.addEventListener('input', save);
}

/** Runs a popup action, showing its failure instead of dropping it. */
const act = (action: () => Promise<unknown>) => () =>
  void action().catch((error: unknown) => showError({ message: (error as Error).message }));

$('read').addEventListener(
  'click',
  act(async () => {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    if (tab?.id === undefined) throw new Error('There is no tab to read.');
    await send({ type: 'read', tabId: tab.id });
  }),
);
for (const type of ['pause', 'resume', 'stop'] as const) {
  $(type).addEventListener(
    'click',
    act(() => send({ type })),
  );
}
$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  act(async () => {
    await send({ type: 'sign-in-code', email: $<HTMLInputElement>('email').value });
    $('code-label').hidden = false;
    $('verify').hidden = false;
  })();
});
$('verify').addEventListener(
  'click',
  act(async () => {
    await send({
      type: 'sign-in-verify',
      email: $<HTMLInputElement>('email').value,
      code: $<HTMLInputElement>('code').value.trim(),
    });
    await showAccount();
  }),
);
$('sign-out').addEventListener(
  'click',
  act(async () => {
    await send({ type: 'sign-out' });
    await showAccount();
  }),
);

chrome.storage.session.onChanged.addListener((changes) => {
  if (changes[STATUS_KEY]) showStatus(changes[STATUS_KEY].newValue as Status | undefined);
});
void chrome.storage.session
  .get(STATUS_KEY)
  .then((items) => showStatus(items[STATUS_KEY] as Status | undefined));
void setUpSettings();
act(showAccount)();
