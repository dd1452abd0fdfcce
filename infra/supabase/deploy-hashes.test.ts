import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionsHash, migrationsHash } from './deploy-hashes';

/** A repository root holding `speech/` and `supabase/`; returns the supabase folder. */
function supabaseFolder(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'repo-'));
  const dir = path.join(root, 'supabase');
  const files: Record<string, string> = {
    '../speech/contract.ts': 'export const MAX_TEXT_CHARS = 5000;\n',
    '../speech/validate.test.ts': 'test\n',
    'config.toml': 'project_id = "x"\n',
    'migrations/20260101000000_init.sql': 'create table t (id int);\n',
    'migrations-down/20260101000000_init.sql': 'drop table t;\n',
    'functions/tts/index.ts': 'Deno.serve(() => new Response());\n',
    'functions/tts/handler.ts': 'export const x = 1;\n',
    'functions/tts/handler_test.ts': 'test\n',
    'functions/_shared/http.ts': 'export const y = 1;\n',
    'functions/testing/helpers.ts': 'export const helper = 1;\n',
    'functions/README.md': 'docs\n',
    'tests/rls.test.ts': 'test\n',
    'README.md': 'docs\n',
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const hashes = (dir: string) => ({
  migrations: migrationsHash(dir),
  functions: functionsHash(dir),
});
function changed(edit: (dir: string) => void) {
  const dir = supabaseFolder();
  const before = hashes(dir);
  edit(dir);
  const after = hashes(dir);
  return {
    migrations: before.migrations !== after.migrations,
    functions: before.functions !== after.functions,
  };
}

describe('deploy triggers', () => {
  it('are identical across two runs and two copies of the same folder', () => {
    const dir = supabaseFolder();
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'copy-')), 'supabase');
    cpSync(path.dirname(dir), path.dirname(copy), { recursive: true });
    expect(hashes(dir)).toEqual(hashes(dir));
    expect(hashes(copy)).toEqual(hashes(dir));
  });

  it('do not change when a test, a test helper or a README changes', () => {
    expect(
      changed((dir) => {
        writeFileSync(path.join(dir, 'functions/tts/handler_test.ts'), 'changed\n');
        writeFileSync(path.join(dir, 'functions/testing/helpers.ts'), 'changed\n');
        writeFileSync(path.join(dir, 'tests/rls.test.ts'), 'changed\n');
        writeFileSync(path.join(dir, 'README.md'), 'changed\n');
        writeFileSync(path.join(dir, '../speech/validate.test.ts'), 'changed\n');
        writeFileSync(path.join(dir, 'functions/README.md'), 'changed\n');
      }),
    ).toEqual({ migrations: false, functions: false });
  });

  it('change the migrations trigger only when a migration changes', () => {
    expect(
      changed((dir) =>
        writeFileSync(path.join(dir, 'migrations/20260101000000_init.sql'), 'create table u ();\n'),
      ),
    ).toEqual({
      migrations: true,
      functions: false,
    });
    expect(
      changed((dir) =>
        writeFileSync(path.join(dir, 'migrations/20260201000000_more.sql'), 'select 1;\n'),
      ),
    ).toEqual({
      migrations: true,
      functions: false,
    });
  });

  it('change the functions trigger when a handler, a shared module, config.toml or the speech contract changes', () => {
    expect(
      changed((dir) =>
        writeFileSync(path.join(dir, 'functions/tts/handler.ts'), 'export const x = 2;\n'),
      ),
    ).toEqual({
      migrations: false,
      functions: true,
    });
    expect(
      changed((dir) =>
        writeFileSync(path.join(dir, 'functions/_shared/http.ts'), 'export const y = 2;\n'),
      ),
    ).toEqual({ migrations: false, functions: true });
    expect(
      changed((dir) => writeFileSync(path.join(dir, 'config.toml'), 'project_id = "y"\n')),
    ).toEqual({
      migrations: false,
      functions: true,
    });
    expect(
      changed((dir) =>
        writeFileSync(
          path.join(dir, '../speech/contract.ts'),
          'export const MAX_TEXT_CHARS = 4000;\n',
        ),
      ),
    ).toEqual({ migrations: false, functions: true });
  });
});
