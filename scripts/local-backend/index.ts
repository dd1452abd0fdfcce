import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { DEFAULT_VOICE, MAX_TEXT_CHARS } from '../../speech/index.ts';
import { startFakeSpeechEndpoint, type FakeSpeechEndpoint } from './fake-speech-endpoint';
import {
  FUNCTION_NAMES,
  type FunctionEnvName,
} from '../../supabase/functions/_shared/functions.ts';
import { serveFunction, startGateway } from './functions';
import { pushMigrations } from './migrations';
import { startPostgres } from './postgres';

export interface LocalBackend {
  /** SUPABASE_URL: functions at `${url}/functions/v1/<name>`. */
  url: string;
  /** SUPABASE_DB_URL, as the superuser `postgres`. */
  dbUrl: string;
  /** A superuser client to the database, closed by `stop`. */
  sql: postgres.Sql;
  /** Each function's own address, bypassing the gateway (for measuring the function alone). */
  functionUrls: Map<string, string>;
  speechEndpoint: FakeSpeechEndpoint;
  stripeWebhookSecret: string;
  /** The environment each function is given, to start one against another endpoint in a test. */
  functionEnv: Record<FunctionEnvName, string>;
  /** An access token as Supabase Auth issues it, signed with this backend's key. */
  signToken(userId: string, claims?: JWTPayload, expiresIn?: string | number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Postgres 15 with pg_cron and every migration, the fake speech endpoint, and the three
 * functions in Deno behind a gateway; `stop` ends all of it. Shared by `npm run dev:backend`,
 * the tests and the benchmark.
 */
export async function startLocalBackend({
  forwardLogs = false,
  speechEndpointUrl,
}: {
  forwardLogs?: boolean;
  /** Where tts gets its speech instead of the fake, e.g. the real handler on its tiny model. */
  speechEndpointUrl?: string;
} = {}): Promise<LocalBackend> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne();
  };
  try {
    const pg = await startPostgres();
    stops.push(pg.stop);
    pushMigrations(pg.url);
    const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
    stops.push(() => sql.end());
    const speechEndpoint = await startFakeSpeechEndpoint();
    stops.push(speechEndpoint.stop);

    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = randomBytes(8).toString('hex');
    const ports = new Map<string, number>();
    const gateway = await startGateway(ports);
    stops.push(gateway.stop);
    const functionEnv: Record<FunctionEnvName, string> = {
      SUPABASE_URL: gateway.url,
      SUPABASE_DB_URL: pg.url,
      SUPABASE_JWKS: JSON.stringify({
        keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
      }),
      HF_ENDPOINT_URL: speechEndpointUrl ?? speechEndpoint.url,
      HF_TOKEN: speechEndpoint.token,
      STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(16).toString('hex')}`,
      MAX_TEXT_CHARS: String(MAX_TEXT_CHARS),
      DEFAULT_VOICE,
    };
    const served = await Promise.allSettled(
      FUNCTION_NAMES.map((name) => serveFunction(name, functionEnv, { forwardLogs })),
    );
    for (const [index, result] of served.entries()) {
      if (result.status === 'fulfilled') {
        ports.set(FUNCTION_NAMES[index]!, result.value.port);
        stops.push(result.value.stop);
      }
    }
    const failed = served.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;

    return {
      url: gateway.url,
      functionUrls: new Map(
        [...ports].map(([name, port]) => [name, `http://127.0.0.1:${port}/functions/v1/${name}`]),
      ),
      dbUrl: pg.url,
      sql,
      speechEndpoint,
      stripeWebhookSecret: functionEnv.STRIPE_WEBHOOK_SECRET,
      functionEnv,
      signToken: (userId, claims = {}, expiresIn = '1h') =>
        new SignJWT({
          role: 'authenticated',
          aud: 'authenticated',
          iss: `${gateway.url}/auth/v1`,
          sub: userId,
          ...claims,
        })
          .setProtectedHeader({ alg: 'ES256', kid })
          .setIssuedAt()
          .setExpirationTime(expiresIn)
          .sign(privateKey),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
