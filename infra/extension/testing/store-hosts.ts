// Loaded with `node --import`: the client library hardcodes Google's hosts, so its fetches are
// sent to the fake store at FAKE_CHROME_WEB_STORE_URL instead. Tests only; never in a deploy.
const GOOGLE_HOSTS = /^https:\/\/(chromewebstore|www)\.googleapis\.com/;

/** Sends every request for Google's store and OAuth hosts to `fakeUrl`; returns the undo. */
export function redirectStoreHosts(fakeUrl: string): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!GOOGLE_HOSTS.test(url)) return realFetch(input, init);
    return realFetch(url.replace(GOOGLE_HOSTS, fakeUrl), init);
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}

const fake = process.env.FAKE_CHROME_WEB_STORE_URL;
if (fake) redirectStoreHosts(fake);
