import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedDatabase, createUser, type Sql } from '../../supabase/tests/database';
import { repoRoot } from '../paths';
import { PLAN_PRICES_COMMAND } from './seed-plan-prices';

let db: Awaited<ReturnType<typeof migratedDatabase>>;
let sql: Sql;

beforeAll(async () => {
  db = await migratedDatabase();
  sql = db.sql;
}, 120_000);
afterAll(() => db?.stop());

/** The exact command `pulumi up` runs, with the environment it gets. */
const seed = (rows: unknown) =>
  promisify(execFile)('/bin/sh', ['-c', PLAN_PRICES_COMMAND], {
    cwd: repoRoot,
    env: { ...process.env, SUPABASE_DB_URL: db.pg.url, PLAN_PRICES: JSON.stringify(rows) },
  });

async function subscriber(priceId: string): Promise<string> {
  const userId = await createUser(sql, `${priceId}@example.com`);
  await sql`insert into public.subscriptions
    (user_id, stripe_customer_id, stripe_subscription_id, status, price_id, last_event_at)
    values (${userId}, ${`cus_${priceId}`}, ${`sub_${priceId}`}, 'active', ${priceId}, now())`;
  return userId;
}
/** The quota a charge checks: this month's usage row's, which a charge of nothing creates. */
const quotaOf = async (userId: string) => {
  await sql`select public.charge_characters(${userId}, 0)`;
  const [row] = await sql`select quota from public.usage
    where user_id = ${userId} and month = date_trunc('month', now())::date`;
  return row?.quota as number;
};

describe('plan prices reach the database through the seed command', () => {
  it("a subscriber gets the quota of the plan their price belongs to, from Stripe's price id", async () => {
    const userId = await subscriber('price_seeded_pro');
    expect(await quotaOf(userId)).toBe(1_000_000); // unknown price: the paid default
    await seed([{ priceId: 'price_seeded_pro', plan: 'pro', monthlyCharacters: 250_000 }]);
    expect(await quotaOf(userId)).toBe(250_000);
  }, 60_000);

  it('a new price for the plan keeps the old price subscribers on the plan, and a new quota reaches both', async () => {
    const oldSubscriber = await subscriber('price_old');
    await seed([{ priceId: 'price_old', plan: 'team', monthlyCharacters: 300_000 }]);
    expect(await quotaOf(oldSubscriber)).toBe(300_000);
    await seed([{ priceId: 'price_new', plan: 'team', monthlyCharacters: 400_000 }]);
    const newSubscriber = await subscriber('price_new');
    expect(await quotaOf(oldSubscriber)).toBe(400_000);
    expect(await quotaOf(newSubscriber)).toBe(400_000);
    expect(
      await sql`select price_id from public.plan_prices where plan = 'team' order by 1`,
    ).toEqual([{ price_id: 'price_new' }, { price_id: 'price_old' }]);
  }, 60_000);

  it('refuses malformed prices by name and writes nothing', async () => {
    const before = await sql`select count(*)::int as n from public.plan_prices`;
    const error = (await seed([{ priceId: 'price_x', plan: 'Pro!', monthlyCharacters: 0 }]).catch(
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain(
      'PLAN_PRICES must be a JSON list of {priceId, plan, monthlyCharacters}',
    );
    expect(await sql`select count(*)::int as n from public.plan_prices`).toEqual(before);
  }, 60_000);
});
