/** The program the release commands run: named here, so that the plan loads no store client. */
export const RELEASE_SCRIPT = 'infra/extension/release-program.ts';

/** How a stack's release goes out: the store's two publish types, or upload only (a person publishes). */
export const PUBLISH_TYPES = ['STAGED_PUBLISH', 'DEFAULT_PUBLISH', 'UPLOAD_ONLY'] as const;
export type PublishType = (typeof PUBLISH_TYPES)[number];
