/** How a stack's release goes out: the store's two publish types, or upload only (a person publishes). */
export const PUBLISH_TYPES = ['STAGED_PUBLISH', 'DEFAULT_PUBLISH', 'UPLOAD_ONLY'] as const;
export type PublishType = (typeof PUBLISH_TYPES)[number];
