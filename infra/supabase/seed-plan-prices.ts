import postgres from 'postgres';
import { z } from 'zod';

/** What `PLAN_PRICES` holds: each plan's current Stripe price and the characters it buys. */
export const PlanPrices = z.array(
  z
    .object({
      priceId: z.string().min(1),
      plan: z.string().regex(/^[a-z][a-z0-9_]*$/),
      monthlyCharacters: z.number().int().min(1),
    })
    .strict(),
);
export type PlanPrices = z.infer<typeof PlanPrices>;

/** The command `pulumi up` runs after the migrations whenever a plan's price or quota changes. */
export const PLAN_PRICES_COMMAND = 'node --import tsx infra/supabase/seed-plan-prices.ts';

/**
 * Upserts each current price; a plan's quota applies to all its prices, old ones included, so
 * subscribers on an archived price get the plan's new quota too. Old prices are never deleted.
 */
export async function seedPlanPrices(databaseUrl: string, rows: PlanPrices): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      for (const row of rows) {
        await tx`
          insert into public.plan_prices (price_id, plan, monthly_characters)
          values (${row.priceId}, ${row.plan}, ${row.monthlyCharacters})
          on conflict (price_id) do update set
            plan = excluded.plan, monthly_characters = excluded.monthly_characters, updated_at = now()`;
        await tx`
          update public.plan_prices set monthly_characters = ${row.monthlyCharacters}, updated_at = now()
          where plan = ${row.plan} and monthly_characters <> ${row.monthlyCharacters}`;
      }
    });
  } finally {
    await sql.end();
  }
}

if (require.main === module) {
  const parsed = PlanPrices.safeParse(
    (() => {
      try {
        return JSON.parse(process.env.PLAN_PRICES ?? '') as unknown;
      } catch {
        return undefined;
      }
    })(),
  );
  const databaseUrl = process.env.SUPABASE_DB_URL;
  if (!parsed.success || !databaseUrl) {
    // Names only: the database URL carries the password.
    console.error(
      `seed-plan-prices: ${!databaseUrl ? 'SUPABASE_DB_URL is required; ' : ''}${parsed.success ? '' : 'PLAN_PRICES must be a JSON list of {priceId, plan, monthlyCharacters}'}`,
    );
    process.exitCode = 2;
  } else {
    seedPlanPrices(databaseUrl, parsed.data).then(
      () => console.error(`seed-plan-prices: ${parsed.data.length} plan prices written`),
      (error: unknown) => {
        console.error(`seed-plan-prices: FAILED: ${(error as Error).message}`);
        process.exitCode = 1;
      },
    );
  }
}
