import { Compliance, objectRule, RuleLevel, Violation } from '../../../lib/policy/rule';
import { containersOf, WORKLOAD_KINDS } from './pod-spec';

function tagOf(image: string): string | undefined {
  const name = image.split('@')[0];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(colon + 1) : undefined;
}

const POD = { any: [{ resources: { kinds: ['Pod'] } }] };
/** A digest, or a tag that is not latest (Kyverno pattern). */
const PINNED = '*@sha256:* | *:* & !*:latest';

/** Images name a version: a tag that is not `latest` (or a digest). */
export const imageTagged = objectRule({
  id: 'DOP-K8S-005',
  level: RuleLevel.ERROR,
  description: 'Images are pinned to a version (a tag other than `latest`, or a digest)',
  rationale: 'An untagged or `latest` image changes under the same manifest: rollbacks do not roll back and two pods can run different code.',
  remediation: "Use an explicit version tag ('ghcr.io/acme/app:1.8.0') or a digest ('...@sha256:…').",
  scanners: {
    checkov: ['CKV_K8S_14'],
    kubeLinter: ['latest-tag'],
    kyverno: {
      rules: [{
        name: 'image-pinned',
        match: POD,
        validate: {
          message: 'pin every image to a version tag other than latest, or a digest',
          // '|' is OR, '&' is AND (https://kyverno.io/docs/writing-policies/validate/#operators)
          pattern: { spec: { '=(initContainers)': [{ image: PINNED }], 'containers': [{ image: PINNED }] } },
        },
      }],
    },
  },
  kinds: WORKLOAD_KINDS,
  evaluate: ({ object }) => {
    const out: Violation[] = [];
    for (const { container, path } of containersOf(object)) {
      const image = container.image ?? '';
      if (image.includes('@sha256:')) continue;
      const tag = tagOf(image);
      if (!tag || tag === 'latest') out.push({ field: `${path}.image`, message: `container '${container.name}' uses '${image}' (${tag ? 'latest' : 'no tag'}): pin a version tag or digest` });
    }
    return out;
  },
});

/** Production images are pinned by digest. */
export const productionImageDigest = objectRule({
  id: 'DOP-K8S-006',
  level: RuleLevel.ERROR,
  description: 'Production images are pinned by digest',
  rationale: 'A tag can be moved to other content; only a digest guarantees that production runs the image that was reviewed and scanned.',
  remediation: "Reference the image by digest ('ghcr.io/acme/app:1.8.0@sha256:…'); acknowledge with the reason where tags are immutable in the registry.",
  scanners: {
    // CKV_K8S_15 (imagePullPolicy Always) guards against a moved tag, which a digest (or an immutable tag) rules out
    checkov: ['CKV_K8S_43', 'CKV_K8S_15'],
    kyverno: {
      productionOnly: true,
      rules: [{
        name: 'image-digest',
        match: POD,
        validate: { message: 'production images are pinned by digest (@sha256:…)', pattern: { spec: { '=(initContainers)': [{ image: '*@sha256:*' }], 'containers': [{ image: '*@sha256:*' }] } } },
      }],
    },
  },
  kinds: WORKLOAD_KINDS,
  evaluate: ({ object }, ctx) => {
    if (!ctx.production) return Compliance.NOT_APPLICABLE;
    return containersOf(object).filter(({ container }) => !(container.image ?? '').includes('@sha256:')).map(({ container, path }) => ({
      field: `${path}.image`, message: `production container '${container.name}' uses '${container.image}' without a digest: pin it with @sha256:…`,
    }));
  },
});
