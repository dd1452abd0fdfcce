import postgres from 'npm:postgres@3.4.9';

export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

/** The port of a transaction-mode pooler, Supavisor's or PgBouncer's, on Supabase. */
const TRANSACTION_POOLER_PORT = '6543';

/**
 * A pool on `url`. Prepared statements save a round trip and the planning on every query, but a
 * transaction-mode pooler hands each transaction to another connection, where they do not exist.
 */
export function connectDatabase(url: string): Sql {
  const prepare = new URL(url).port !== TRANSACTION_POOLER_PORT;
  return postgres(url, { max: 5, prepare, idle_timeout: 30, onnotice: () => {} });
}
