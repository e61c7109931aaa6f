import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Service } from '../../../constructs/k8s';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('Service', () => {
  it('is a ClusterIP Service selecting pods by label', () => {
    const env = newEnv();
    new Service(env, 'ApiServer', { selectorLabels: { component: 'api-server' }, ports: [{ name: 'http', port: 8080 }] });
    const objects = synthesize(env);
    validateAll(objects);
    expect(findObject(objects, 'Service', 'api-server').spec).toMatchObject({
      type: 'ClusterIP', selector: { component: 'api-server' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    });
  });

  it('needs a DNS label name, a selector and ports', () => {
    const env = newEnv();
    expect(errorOf(() => new Service(env, 'A', { name: 'a.b', selectorLabels: { x: 'y' }, ports: [{ name: 'p', port: 1 }] })))
      .toContain("dev/A, field 'name': 'a.b' is not a valid Kubernetes name");
    expect(errorOf(() => new Service(env, 'B', { selectorLabels: {}, ports: [{ name: 'p', port: 1 }] })))
      .toBe("dev/B, field 'selectorLabels': at least one label is required");
  });
});
