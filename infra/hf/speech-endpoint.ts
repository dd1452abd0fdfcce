import * as command from '@pulumi/command';
import { commandOptions } from '../command-options';
import * as dockerBuild from '@pulumi/docker-build';
import * as pulumi from '@pulumi/pulumi';
import { quote } from 'shell-quote';
import type { HandlerEnvVar } from '../../hf-handler/src/env';
import { HANDLER_PORT, HEALTH_ROUTE, MODEL_FILE, REPOSITORY_PATH } from '../../speech/index.ts';
import type { StackSettings } from '../config';
import { contentHash, isTestOrDoc } from '../content-hash';

/** The Kokoro export with word timestamps that a created endpoint mounts at the repository path. */
export const MODEL_REPOSITORY = 'onnx-community/Kokoro-82M-v1.0-ONNX-timestamped';
export const ROLLOUT_SCRIPT = 'infra/hf/hf-endpoint-rollout.ts';

/**
 * Changes when anything the image is built from changes: the handler's sources, the speech
 * contract it bundles and the lockfile.
 */
export const handlerSourceHash = (repoRoot: string) =>
  contentHash(
    repoRoot,
    (file) =>
      file === 'package-lock.json' || (/^(hf-handler|speech)\//.test(file) && !isTestOrDoc(file)),
    ['package-lock.json', 'hf-handler', 'speech'],
  );

/** Every variable the handler reads (hf-handler/src/env.ts), as this stack sets it. */
export function handlerEnvironment(
  handler: StackSettings['speechHandler'],
): Record<HandlerEnvVar, string> {
  return {
    PORT: String(HANDLER_PORT),
    MODEL_DIR: REPOSITORY_PATH,
    MODEL_FILE,
    DEFAULT_VOICE: handler.defaultVoice,
    MAX_CONCURRENCY: String(handler.maxConcurrency),
    MAX_QUEUE: String(handler.maxQueue),
    MAX_TEXT_CHARS: String(handler.maxTextChars),
  };
}

/** The rollout command with its non-secret settings inline, so plans show them; the token stays in env. */
export function rolloutCommand(settings: Record<string, string>): string {
  const assignments = Object.entries(settings).map(([name, value]) => `${name}=${quote([value])}`);
  return [...assignments, 'node', '--import', 'tsx', ROLLOUT_SCRIPT].join(' ');
}

export interface SpeechEndpointArgs {
  /** `namespace/name` of the Hugging Face Inference Endpoint. */
  endpoint: string;
  imageRepository: string;
  registryUsername: string;
  registryToken: pulumi.Output<string>;
  /** Creates and updates the endpoint; only the rollout gets it. */
  managementToken: pulumi.Output<string>;
  compute: StackSettings['hfEndpointCompute'];
  handler: StackSettings['speechHandler'];
  repoRoot: string;
}

/** The handler image, built and pushed, and the endpoint rolled onto it (and back, if it fails). */
export class SpeechEndpoint extends pulumi.ComponentResource {
  readonly imageRef: pulumi.Output<string>;
  /** The endpoint's URL, as the rollout read it from the API. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: SpeechEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super('read-aloud:hf:SpeechEndpoint', name, {}, opts);
    const registry = args.imageRepository.split('/')[0] as string;
    const cache = `${args.imageRepository}:buildcache`;

    const image = new dockerBuild.Image(
      'handler-image',
      {
        context: { location: '.' },
        dockerfile: { location: 'hf-handler/Dockerfile' },
        platforms: ['linux/amd64'],
        // A PR's preview must not spend minutes building; `up` builds.
        buildOnPreview: false,
        push: true,
        tags: [`${args.imageRepository}:${handlerSourceHash(args.repoRoot).slice(0, 16)}`],
        cacheFrom: [{ registry: { ref: cache } }],
        cacheTo: [{ registry: { ref: cache, mode: dockerBuild.CacheMode.Max } }],
        registries: [
          { address: registry, username: args.registryUsername, password: args.registryToken },
        ],
      },
      { parent: this },
    );

    const [namespace, endpointName] = args.endpoint.split('/') as [string, string];
    this.imageRef = pulumi.interpolate`${args.imageRepository}@${image.digest}`;
    const rollout = new command.local.Command(
      'endpoint-rollout',
      {
        create: this.imageRef.apply((imageRef) =>
          rolloutCommand({
            HF_ENDPOINT_NAMESPACE: namespace,
            HF_ENDPOINT_NAME: endpointName,
            HF_ENDPOINT_IMAGE: imageRef,
            HF_ENDPOINT_ENV: JSON.stringify(handlerEnvironment(args.handler)),
            HF_ENDPOINT_PORT: String(HANDLER_PORT),
            HF_ENDPOINT_HEALTH_ROUTE: HEALTH_ROUTE,
            HF_ENDPOINT_COMPUTE: JSON.stringify(args.compute),
            HF_ENDPOINT_REPOSITORY: MODEL_REPOSITORY,
          }),
        ),
        environment: { HF_TOKEN: args.managementToken },
        // A new image digest or a compute change is a new rollout; nothing else re-runs it.
        triggers: [image.digest, JSON.stringify(args.compute)],
      },
      commandOptions({ parent: this, dependsOn: [image] }),
    );

    // The rollout prints the URL alone on stdout (its log goes to stderr).
    this.url = rollout.stdout.apply((stdout) => stdout.trim());
    this.registerOutputs({ imageRef: this.imageRef, url: this.url });
  }
}
