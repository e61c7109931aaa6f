/**
 * Every example's output, applied to a REAL kube-apiserver (test/support/k8s) the way Argo CD and Flux apply it:
 * server-side apply with strict field validation. For each environment, on a fresh server with the upstream CRDs
 * of schemas/crds: every object is accepted, a second apply changes nothing (no resourceVersion moves), and every
 * field we set reads back with the value we wrote (a field the server rewrites is what keeps Argo CD OutOfSync
 * forever; see ../support/k8s/drift.ts for the spelling differences every consumer ignores).
 * The bootstrap objects (Argo CD Application/AppProject, Flux GitRepository/Kustomization, ...) are accepted too.
 * The examples are found when the tests run: every examples/<name>/dist.
 */
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readDistFiles } from '../../lib/schema/dist-files';
import { applyFiles, ObjectOutcome } from '../../lib/schema/server/apply-folder';
import { ensureControlPlaneBinaries } from '../support/k8s/binaries';
import { ControlPlane, startControlPlane } from '../support/k8s/control-plane';
import { rewrittenFields } from '../support/k8s/drift';
import { exampleDists } from '../support/k8s/examples';
import { createReferencedNamespaces, kindsOf } from '../support/k8s/namespaces';

const FIELD_MANAGER = 'cdk8s-dataops-test';
const examples = exampleDists();

const rejected = (outcomes: readonly ObjectOutcome[]) => outcomes.filter((o) => o.outcome !== 'accepted').map((o) => `${o.file}: ${o.message}`);

// The first run on a machine builds the control plane (scripts/ci/ensure-k8s.sh, about 15 minutes cold).
beforeAll(() => void ensureControlPlaneBinaries(), 3_600_000);

let plane: ControlPlane | undefined;
afterEach(async () => {
  await plane?.stop();
  plane = undefined;
});

it('finds the examples to apply', () => {
  expect(examples.map((e) => e.name)).toContain('data-platform');
  for (const e of examples) expect(e.environments.length, e.name).toBeGreaterThan(0);
});

for (const example of examples) {
  describe(`examples/${example.name}`, () => {
    for (const env of example.environments) {
      it(`${env}: every object accepted by server-side apply, a second apply changes nothing, no field rewritten`, async () => {
        const files = readDistFiles(example.dist, path.posix.join('manifests', env));
        plane = await startControlPlane({ onlyKinds: kindsOf(files) });
        const objects = files.reduce((n, f) => n + (f.documents?.length ?? 0), 0);
        expect(objects).toBeGreaterThan(0);
        await createReferencedNamespaces(plane.api, files);

        const first = await applyFiles(plane.api, files, { dryRun: false, fieldManager: FIELD_MANAGER });
        expect(rejected(first)).toEqual([]);
        expect(first).toHaveLength(objects);

        const second = await applyFiles(plane.api, files, { dryRun: false, fieldManager: FIELD_MANAGER });
        expect(rejected(second)).toEqual([]);
        const changed = second.filter((o, i) => o.live?.metadata.resourceVersion !== first[i].live?.metadata.resourceVersion).map((o) => o.file);
        expect(changed).toEqual([]);

        // Spelling differences (see ../support/k8s/drift.ts) are allowed; a changed value is not.
        const rewritten = first.flatMap((o) => rewrittenFields(o.desired, o.live).map((f) => `${o.file}: ${f}`));
        expect(rewritten).toEqual([]);
      }, 600_000);
    }

    it('bootstrap objects (Argo CD, Flux) accepted by server-side apply', async () => {
      const files = readDistFiles(example.dist, 'bootstrap');
      if (files.length === 0) return; // an example without bootstrap objects: nothing to apply
      plane = await startControlPlane({ onlyKinds: kindsOf(files) });
      await createReferencedNamespaces(plane.api, files);
      const outcomes = await applyFiles(plane.api, files, { dryRun: false, fieldManager: FIELD_MANAGER });
      expect(rejected(outcomes)).toEqual([]);
      expect(outcomes.length).toBe(files.reduce((n, f) => n + (f.documents?.length ?? 0), 0));
      expect(outcomes.flatMap((o) => rewrittenFields(o.desired, o.live).map((f) => `${o.file}: ${f}`))).toEqual([]);
    }, 600_000);
  });
}
