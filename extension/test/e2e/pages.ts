import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const paragraphs = [
  'The river ran <em>quietly</em> past the old mill, where the miller&rsquo;s children played.',
  'Every spring the water rose&nbsp;and the town gathered on the bridge to watch it.',
  'Nobody remembered <a href="#">when the mill</a> had last <strong>ground <i>any</i> grain</strong>.',
  'Still, the wheel turned, and the river kept its own slow time.',
  'In the evenings the children counted its turns, and lost count, and began again.',
];

/** An article page: a navigation bar, hidden text, and the article in nested inline markup. */
export const ARTICLE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The mill</title>
<style>.visually-gone { display: none }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></nav>
<main><article>
<h1>The mill by the river</h1>
${paragraphs.map((p, i) => `<p id="p${i}">${p}<span class="visually-gone"> secret${i}</span><span aria-hidden="true"> decor${i}</span></p>`).join('\n')}
<p hidden>hidden paragraph never read</p>
</article></main>
<footer>Copyright the town paper. Cookie settings.</footer>
</body></html>`;

/** What a page with a strict policy sends: no media, no blob:, no scripts of its own. */
export const STRICT_CSP = "default-src 'none'; style-src 'unsafe-inline'; media-src 'none'";

export interface PageServer {
  url(path: '/article' | '/strict'): string;
  stop(): Promise<void>;
}

/** Serves the article at /article, and with a strict Content Security Policy at /strict. */
export async function servePages(): Promise<PageServer> {
  const server = createServer((req, res) => {
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (req.url === '/strict') headers['content-security-policy'] = STRICT_CSP;
    else if (req.url !== '/article') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, headers).end(ARTICLE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
