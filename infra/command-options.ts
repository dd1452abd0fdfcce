import type * as pulumi from '@pulumi/pulumi';

/**
 * A command resource's options in every stack: unprotected, because a changed trigger replaces the
 * command (which protection refuses) and deleting one undoes nothing it did.
 */
export const commandOptions = (
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions => ({ ...opts, protect: false });
