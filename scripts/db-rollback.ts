import { parseArgs } from 'node:util';
import { migrationVersions, rollbackMigrations } from './local-backend/migrations';

// `npm run db:rollback -- --db-url URL --to VERSION`: undo every migration after VERSION with its
// down script (supabase/migrations-down/) and mark it reverted, so a release rolls back without PITR.
const { values } = parseArgs({
  options: { 'db-url': { type: 'string' }, to: { type: 'string' } },
});
const dbUrl = values['db-url'] ?? process.env.SUPABASE_DB_URL;
const target = values.to;
if (!dbUrl || !target || !(target === '0' || migrationVersions().includes(target))) {
  console.error(
    'usage: npm run db:rollback -- --db-url postgresql://... --to VERSION\n' +
      `  VERSION: 0 (before all) or one of ${migrationVersions().join(', ')}; the URL may come from SUPABASE_DB_URL`,
  );
  process.exit(2);
}
try {
  const reverted = rollbackMigrations(dbUrl, target);
  console.log(reverted.length > 0 ? `reverted ${reverted.join(', ')}` : 'nothing to revert');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
