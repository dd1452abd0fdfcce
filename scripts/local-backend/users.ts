import type { Sql } from 'postgres';

/** A new auth user, as sign-up makes one (the migrations' trigger gives it a profile); its id. */
export async function createUser(sql: Sql, email: string): Promise<string> {
  const [row] = await sql<
    { id: string }[]
  >`insert into auth.users (email) values (${email}) returning id`;
  return row!.id;
}
