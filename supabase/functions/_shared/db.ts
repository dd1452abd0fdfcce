import postgres from 'npm:postgres@3.4.9';

export type Sql = postgres.Sql;
export type Transaction = postgres.TransactionSql;

/** SUPABASE_DB_URL may point at Supavisor in transaction mode, which cannot keep prepared statements. */
export function connectDatabase(url: string): Sql {
  return postgres(url, { max: 5, prepare: false, idle_timeout: 30, onnotice: () => {} });
}
