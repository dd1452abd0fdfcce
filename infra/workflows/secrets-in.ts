/** The `secrets.NAME` a workflow, job or step reads; `secrets[...]` is a name no one can check. */
export const secretsIn = (value: unknown) =>
  [...JSON.stringify(value ?? {}).matchAll(/secrets(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[)/g)].map(
    (m) => m[1] ?? '[computed name]',
  );
