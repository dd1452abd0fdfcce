/** A list as the rules' messages show it: `[a, b]`. */
export const list = (values: string[]) => `[${values.join(', ')}]`;

/** The same members, in any order. */
export const sameList = (a: string[], b: string[]) => list([...a].sort()) === list([...b].sort());
