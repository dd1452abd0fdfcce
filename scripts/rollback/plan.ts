import { extensionVersion } from '../../infra/extension/version';

/** A release tag: the semver triple the release tool creates, nothing before or after it. */
const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** What a rollback needs to know about the repository, the stacks and the database. */
export interface RollbackFacts {
  stack: string;
  tag: string;
  /** Every tag in the repository. */
  tags: string[];
  /** Paths `git status --porcelain` lists in the working tree. */
  dirtyPaths: string[];
  /** Each stack -> the tag patterns its environment accepts deployments from. */
  deployTags: Record<string, string[]>;
  /** The run of a deploy of this stack in progress, if any (its URL). */
  runningDeploy?: string;
  /** Migration versions the stack's database has applied, and those the tag ships. */
  appliedMigrations: string[];
  migrationsAtTag: string[];
  /** Version -> the down script (from the checked-out tree) of each migration. */
  downScripts: Record<string, string>;
  /** Whether the operator asked to revert the migrations the tag does not have. */
  revertDatabase: boolean;
}

export interface RollbackStep {
  /** What the step brings back, for the summary. */
  title: string;
  command: string[];
  /** Run in the tag's worktree rather than the current tree. */
  inTagTree: boolean;
}

export type RollbackPlan =
  | { ok: false; refusal: string }
  | {
      ok: true;
      steps: RollbackStep[];
      /** What the operator must read: migrations left applied, what a down script drops. */
      notes: string[];
    };

/** git's fnmatch for a ref pattern: `*` matches anything but a slash. */
const matchesRefPattern = (pattern: string, name: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  ).test(name);

/** The objects a down script removes, as `drop ...` statements name them. */
export function droppedBy(downScript: string): string[] {
  return [...downScript.matchAll(/\bdrop\s+(table|schema|column|extension)\s+([^;]+);/gi)].map(
    (m) => `${m[1]!.toLowerCase()} ${m[2]!.replace(/\s+/g, ' ').trim()}`,
  );
}

const refuse = (refusal: string): RollbackPlan => ({ ok: false, refusal });

/**
 * The steps that bring `stack` back to what `tag` declares, or why it must not be done. The
 * database is only reverted when asked, since a down script drops data.
 */
export function planRollback(facts: RollbackFacts): RollbackPlan {
  const { stack, tag } = facts;
  if (!(stack in facts.deployTags)) {
    return refuse(`unknown stack '${stack}': one of ${Object.keys(facts.deployTags).join(', ')}`);
  }
  if (!facts.tags.includes(tag)) {
    return refuse(`unknown tag '${tag}': no such tag in this repository (git fetch --tags?)`);
  }
  if (!RELEASE_TAG.test(tag)) {
    return refuse(`tag '${tag}' is not a release: releases are tagged vMAJOR.MINOR.PATCH`);
  }
  if (facts.dirtyPaths.length > 0) {
    return refuse(
      `the working tree is dirty (${facts.dirtyPaths.join(', ')}): commit or discard the changes first`,
    );
  }
  const targets = Object.entries(facts.deployTags)
    .filter(([, patterns]) => patterns.some((p) => matchesRefPattern(p, tag)))
    .map(([name]) => name);
  if (!targets.includes(stack)) {
    return refuse(
      `${tag} is a release of ${targets.join(', ') || 'no stack'}, not of ${stack}: ` +
        `${stack} deploys from no such tag, so roll it back by reverting on its branch`,
    );
  }
  if (facts.runningDeploy !== undefined) {
    return refuse(
      `a deploy of ${stack} is running (${facts.runningDeploy}): wait for it to end, then roll back`,
    );
  }

  const atTag = new Set(facts.migrationsAtTag);
  const newer = facts.appliedMigrations.filter((v) => !atTag.has(v)).sort();
  const lastAtTag = [...facts.migrationsAtTag].sort().at(-1) ?? '0';
  const missingDown = newer.filter((v) => facts.downScripts[v] === undefined);
  if (facts.revertDatabase && missingDown.length > 0) {
    return refuse(`migrations ${missingDown.join(', ')} have no down script: restore with PITR`);
  }

  const steps: RollbackStep[] = [
    {
      title: `functions, settings, secret names and the endpoint image as ${tag} declares them`,
      command: ['pulumi', 'up', '--stack', stack, '--policy-pack', 'infra/policy/pack', '--yes'],
      inTagTree: true,
    },
    {
      title: 'the store item: the previous package under a higher version (no review)',
      command: [
        'npm',
        'run',
        'extension:rollback',
        '--',
        '--stack',
        stack,
        '--to',
        extensionVersion({ ref: `refs/tags/${tag}`, commitCount: 0 }),
      ],
      inTagTree: false,
    },
  ];
  const notes: string[] = [];
  if (newer.length > 0 && facts.revertDatabase) {
    steps.push({
      title: `the database: down scripts of ${newer.join(', ')}, newest first, each in a transaction`,
      command: ['npm', 'run', 'db:rollback', '--', '--to', lastAtTag],
      inTagTree: false,
    });
    for (const version of [...newer].reverse()) {
      const drops = droppedBy(facts.downScripts[version]!);
      notes.push(
        `down script of ${version} drops ${drops.length > 0 ? drops.join('; ') : 'no table, schema, column or extension'}`,
      );
    }
  } else if (newer.length > 0) {
    notes.push(
      `the database keeps migrations ${newer.join(', ')} that ${tag} does not have; ` +
        `revert them with --revert-database (runs their down scripts) only if ${tag}'s code needs it`,
    );
  }
  notes.push('data lost or damaged is brought back by point-in-time recovery, not by a rollback');
  steps.push({
    title: 'the smoke test of the rolled-back stack',
    command: ['npm', 'run', 'smoke', '--', '--stack', stack],
    inTagTree: false,
  });
  return { ok: true, steps, notes };
}
