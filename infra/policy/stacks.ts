/** Stacks whose resources must survive an accidental `pulumi destroy` or rename. */
export const PROTECTED_STACKS = ['prod'];

/** The stack a resource URN belongs to. */
export const stackOf = (urn: string) => urn.split('::')[0]?.split(':')[2] ?? '';
