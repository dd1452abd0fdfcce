import { startLocalBackend } from './index';
import { createUser } from './users';

// `npm run dev:backend`: the local backend until Ctrl-C, with a signed-in test user to call it as.
async function main() {
  const backend = await startLocalBackend({ forwardLogs: true });
  const { userId, token } = await (async () => {
    const id = await createUser(backend.sql, 'dev@localhost');
    return { userId: id, token: await backend.signToken(id, {}, '12h') };
  })().catch(async (error: unknown) => {
    await backend.stop();
    throw error;
  });
  console.log(`local backend ready
  SUPABASE_URL     ${backend.url}
  functions        ${backend.url}/functions/v1/{tts,log-error,stripe-webhook,health}
  database         ${backend.dbUrl}
  speech endpoint  ${backend.speechEndpoint.url} (fake)
  dev user         ${userId}

  export TOKEN=${token}
  curl -s ${backend.url}/functions/v1/tts -H "Authorization: Bearer $TOKEN" -d '{"text":"Hello world"}'
Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await backend.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
