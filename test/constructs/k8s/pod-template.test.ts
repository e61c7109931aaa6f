import { describe, expect, it } from 'vitest';
import { renderPodManifest } from '../../../constructs/k8s/pod-template';
import { newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

describe('renderPodManifest', () => {
  it('renders a Pod with the secure defaults, without emitting it', () => {
    const env = newEnv();
    const pod = renderPodManifest(env, {
      namespace: 'airflow', name: 'placeholder-name', selectorLabels: { component: 'worker' },
      containers: [{ name: 'base', image: 'apache/airflow:3.1.3' }],
    }) as any;
    validateAll([pod]);
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata).toEqual({ name: 'placeholder-name', namespace: 'airflow', labels: { component: 'worker' } });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(pod.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(env.node.findAll().length).toBe(1);
  });
});
