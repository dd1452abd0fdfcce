import { describe, expect, it } from 'vitest';
import { expandDownScript } from './migrations';

const migrations: Record<string, string> = {
  '001_init.sql': [
    'create function public.quota(p_user uuid) returns integer',
    'language sql as $$ select 1 $$;',
    'create function public.other() returns integer',
    'language sql as $$ select 3 $$;',
  ].join('\n'),
  '002_more.sql': [
    '-- the quota doubles',
    'create or replace function public.quota(p_user uuid) returns integer',
    'language sql as $$ select 2 $$;',
    'revoke execute on function public.quota(uuid) from public;',
  ].join('\n'),
};
const readMigration = (file: string) => {
  const text = migrations[file];
  if (text === undefined) throw new Error(`no migration ${file}`);
  return text;
};

describe('down scripts', () => {
  it('restore a function as the named migration last defined it, body and all', () => {
    const down = '-- restore function public.quota from 002_more.sql\ndrop table t;\n';
    expect(expandDownScript(down, readMigration)).toBe(
      'create or replace function public.quota(p_user uuid) returns integer\n' +
        'language sql as $$ select 2 $$;\ndrop table t;\n',
    );
  });

  it('turn an earlier `create function` into `create or replace`, so it also replaces a newer body', () => {
    const down = '-- restore function public.quota from 001_init.sql';
    expect(expandDownScript(down, readMigration)).toBe(
      'create or replace function public.quota(p_user uuid) returns integer\n' +
        'language sql as $$ select 1 $$;',
    );
  });

  it('refuse a function the named migration does not define', () => {
    const down = '-- restore function public.qu from 001_init.sql';
    expect(() => expandDownScript(down, readMigration)).toThrow(
      '001_init.sql defines no function public.qu',
    );
  });

  it('leave ordinary comments and statements as they are', () => {
    const down = '-- Undoes 002_more.sql: restore function public.quota by hand\ndrop table t;';
    expect(expandDownScript(down, readMigration)).toBe(down);
  });
});
