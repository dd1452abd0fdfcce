// The backend bench's anchor: a bare pass-through, no database either.
import { servePassThrough } from './pass-through.ts';

servePassThrough();
