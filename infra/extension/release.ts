import * as command from '@pulumi/command';
import { commandOptions } from '../command-options';
import * as pulumi from '@pulumi/pulumi';
import { quote } from 'shell-quote';
import type { StackSettings } from '../config';
import { buildRelease } from './build-release';
import { RELEASE_SCRIPT } from './publish';

/** The program run with its non-secret settings inline, so plans show them; secrets stay in env. */
export function releaseCommand(action: string, settings: Record<string, string>): string {
  const assignments = Object.entries(settings).map(([name, value]) => `${name}=${quote([value])}`);
  return [...assignments, 'node', '--import', 'tsx', RELEASE_SCRIPT, action].join(' ');
}

export interface ExtensionReleaseArgs {
  stack: string;
  /** The stack's Supabase URL, an output of its project: the extension's API base. */
  supabaseUrl: pulumi.Output<string>;
  /** The project's publishable anon key, an output of its project. */
  anonKey: pulumi.Output<string>;
  siteUrl: string;
  /** Stamped into the built manifest: see version.ts. */
  version: string;
  extensionId: string;
  publisherId: string;
  release: StackSettings['extensionRelease'];
  clientId: pulumi.Output<string>;
  clientSecret: pulumi.Output<string>;
  refreshToken: pulumi.Output<string>;
  repoRoot: string;
}

/** The extension built for the stack, zipped deterministically, uploaded and published on the store. */
export class ExtensionRelease extends pulumi.ComponentResource {
  readonly version: string;
  readonly zipSha256: pulumi.Output<string>;
  readonly apiBase: pulumi.Output<string>;

  constructor(name: string, args: ExtensionReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('read-aloud:extension:ExtensionRelease', name, {}, opts);
    const built = pulumi.all([args.supabaseUrl, args.anonKey]).apply(([supabaseUrl, anonKey]) =>
      buildRelease(args.repoRoot, {
        stack: args.stack,
        supabaseUrl,
        anonKey,
        version: args.version,
        siteUrl: args.siteUrl,
      }),
    );
    this.version = args.version;
    this.zipSha256 = built.sha256;
    this.apiBase = args.supabaseUrl;

    const { publishType, deployPercentage } = args.release;
    const settings = {
      CWS_EXTENSION_ID: args.extensionId,
      CWS_PUBLISHER_ID: args.publisherId,
      EXTENSION_VERSION: args.version,
      CWS_PUBLISH_TYPE: publishType,
      ...(deployPercentage === undefined
        ? {}
        : { CWS_DEPLOY_PERCENTAGE: String(deployPercentage) }),
    };
    const environment = {
      CWS_CLIENT_ID: args.clientId,
      CWS_CLIENT_SECRET: args.clientSecret,
      CWS_REFRESH_TOKEN: args.refreshToken,
    };
    const upload = new command.local.Command(
      'store-release',
      {
        create: pulumi.all([built, args.supabaseUrl]).apply(([{ zip, sha256 }, apiBase]) =>
          releaseCommand('release', {
            ...settings,
            EXTENSION_ZIP: zip,
            EXTENSION_ZIP_SHA256: sha256,
            EXTENSION_API_BASE: apiBase,
          }),
        ),
        // A settings change alone (say, the percentage) must not upload the same version again.
        update: 'echo "the release settings apply from the next version"',
        environment,
        // A new zip or version is a new release; nothing else re-runs it.
        triggers: [built.sha256, args.version],
      },
      commandOptions({ parent: this }),
    );

    if (publishType === 'STAGED_PUBLISH' && deployPercentage !== undefined) {
      new command.local.Command(
        'deploy-percentage',
        {
          create: releaseCommand('deploy-percentage', settings),
          environment,
          // Raising the stack's percentage raises the published one.
          triggers: [deployPercentage],
        },
        commandOptions({ parent: this, dependsOn: [upload] }),
      );
    }

    this.registerOutputs({
      version: this.version,
      zipSha256: this.zipSha256,
      apiBase: this.apiBase,
      publishType,
      deployPercentage,
    });
  }
}
