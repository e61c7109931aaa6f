import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../../lib/schema';
import {
  clusterPolicy, configMap, deployment, externalSecret, kafkaTopic, serviceMonitor, validObjects, variant,
} from './fixtures';

// One validator for the file: CRD schemas are compiled on first use and cached, as in `synth validate`.
const validator = new SchemaValidator();
const brief = (o: unknown) => validator.validate(o).map((p) => `${p.severity} ${p.rule} ${p.field ?? '-'}: ${p.message}`);

describe('SchemaValidator', () => {
  it('reads every bundled CRD without a problem', () => {
    expect(validator.sourceProblems).toEqual([]);
  });

  it.each(validObjects.map((o) => [o.kind, o]))('accepts a valid %s', (_kind, object) => {
    expect(validator.validate(object)).toEqual([]);
  });

  describe('Kubernetes built-in kinds (kubernetes-models)', () => {
    it('reports a Deployment whose replicas is a string, with the field path', () => {
      const problems = validator.validate(variant(deployment, (d) => { d.spec.replicas = '2'; }));
      expect(problems).toEqual([{ severity: 'error', rule: 'schema', field: 'spec.replicas', message: 'must be integer (got string "2")' }]);
    });

    it('reports nested fields with array indexes, and each wrong field once', () => {
      const problems = validator.validate(variant(deployment, (d) => {
        d.spec.template.spec.containers[0].ports[0].containerPort = 80.5;
        d.spec.template.spec.containers[0].resources.limits.cpu = 'lots';
      }));
      expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
        'spec.template.spec.containers[0].ports[0].containerPort: must be integer (got number 80.5)',
        'spec.template.spec.containers[0].resources.limits.cpu: must be a valid quantity (got string "lots")',
      ]);
    });

    it('reports a missing required field of a built-in kind', () => {
      const problems = validator.validate(variant(deployment, (d) => { delete d.spec.selector; }));
      expect(problems).toEqual([expect.objectContaining({ field: 'spec.selector', message: 'is required' })]);
    });

    it('accepts int-or-string values as integers and strings, and rejects other types', () => {
      expect(validator.validate(variant(deployment, (d) => { d.spec.strategy.rollingUpdate.maxSurge = 2; }))).toEqual([]);
      const problems = validator.validate(variant(deployment, (d) => { d.spec.strategy.rollingUpdate.maxSurge = true; }));
      expect(problems.map((p) => p.field)).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
      expect(problems[0].message).toContain('got boolean true');
    });

    it('reports an API version Kubernetes removed, naming the one to use', () => {
      const ingress = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web', namespace: 'payments' }, spec: {} };
      expect(brief(ingress)).toEqual([
        'error removed-api apiVersion: extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use apiVersion networking.k8s.io/v1',
      ]);
    });

    it('does not take a nested type for a kind', () => {
      const container = { apiVersion: 'v1', kind: 'Container', metadata: { name: 'x', namespace: 'payments' } };
      expect(validator.validate(container).map((p) => p.rule)).toEqual(['unknown-kind']);
    });
  });

  describe('custom resources (CRD openAPIV3Schema)', () => {
    it('reports a KafkaTopic whose partitions is not a number', () => {
      expect(brief(variant(kafkaTopic, (t) => { t.spec.partitions = 'x'; }))).toEqual([
        'error schema spec.partitions: must be integer (got string "x")',
      ]);
    });

    it('reports an ExternalSecret missing a required field', () => {
      expect(brief(variant(externalSecret, (s) => { delete s.spec.data[0].remoteRef.key; }))).toEqual([
        'error schema spec.data[0].remoteRef.key: is required',
      ]);
    });

    it('reports an apiVersion the CRD does not serve, naming the CRD file and the served versions', () => {
      expect(brief(variant(kafkaTopic, (t) => { t.apiVersion = 'kafka.strimzi.io/v1beta2'; }))).toEqual([
        'error not-served apiVersion: kafka.strimzi.io/v1beta2 KafkaTopic is not served by the CRD in ' +
          'schemas/crds/strimzi/043-Crd-kafkatopic.yaml (no such version; served: kafka.strimzi.io/v1)',
      ]);
    });

    it('reports a version the CRD defines but no longer serves', () => {
      const problems = validator.validate(variant(externalSecret, (s) => { s.apiVersion = 'external-secrets.io/v1beta1'; }));
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toContain('the version exists but is not served; served: external-secrets.io/v1');
    });

    it('reports fields the schema does not define (the API server would drop or reject them)', () => {
      expect(brief(variant(kafkaTopic, (t) => { t.spec.partiton = 3; }))).toEqual([
        'error schema spec.partiton: unknown field: the schema does not define it (the API server rejects it or silently drops it)',
      ]);
    });

    it('allows any field where the CRD preserves unknown fields (KafkaTopic spec.config)', () => {
      expect(validator.validate(variant(kafkaTopic, (t) => { t.spec.config['any.future.setting'] = 'x'; }))).toEqual([]);
    });

    it('checks enums and int-or-string fields of a CRD', () => {
      expect(brief(variant(serviceMonitor, (m) => { m.spec.endpoints[0].targetPort = 'http'; }))).toEqual([]);
      expect(brief(variant(serviceMonitor, (m) => { m.spec.endpoints[0].scheme = 'gopher'; })))
        .toEqual([expect.stringMatching(/^error schema spec\.endpoints\[0\]\.scheme: must be one of .*"https".* \(got string "gopher"\)$/)]);
    });

    it('reports every problem of an object, not just the first', () => {
      const problems = validator.validate(variant(kafkaTopic, (t) => { t.spec.partitions = 'x'; t.spec.replicas = 'y'; }));
      expect(problems.map((p) => p.field)).toEqual(['spec.partitions', 'spec.replicas']);
    });
  });

  describe('metadata', () => {
    it('requires metadata.name', () => {
      expect(brief(variant(configMap, (c) => { delete c.metadata.name; }))).toEqual(['error metadata metadata.name: is required']);
    });

    it('checks names, namespaces, label keys and values', () => {
      const problems = validator.validate(variant(kafkaTopic, (t) => {
        t.metadata.name = 'Payments_Orders';
        t.metadata.namespace = 'pay.ments';
        t.metadata.labels['strimzi.io/cluster'] = 3;
        t.metadata.labels['bad key!'] = 'x';
      }));
      expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
        expect.stringMatching(/^metadata\.name: 'Payments_Orders' is not a valid Kubernetes name: use at most 253 /),
        expect.stringMatching(/^metadata\.namespace: 'pay\.ments' is not a valid Kubernetes name: use at most 63 /),
        'metadata.labels["strimzi.io/cluster"]: must be a string (got number; quote it in YAML)',
        expect.stringMatching(/^metadata\.labels\["bad key!"\]: key "bad key!" is not a valid key/),
      ]);
    });

    it('reports a label value once although the built-in schema also rejects it', () => {
      const problems = validator.validate(variant(configMap, (c) => { c.metadata.labels.replicas = 2; }));
      expect(problems).toEqual([expect.objectContaining({ field: 'metadata.labels.replicas', rule: 'metadata' })]);
    });

    it('warns about a namespace on a cluster-scoped kind and a missing namespace on a namespaced one', () => {
      expect(brief(variant(clusterPolicy, (p) => { p.metadata.namespace = 'payments'; })))
        .toEqual(['warning scope metadata.namespace: ClusterPolicy is cluster-scoped: the namespace is ignored; remove it']);
      expect(validator.validate(variant(configMap, (c) => { delete c.metadata.namespace; })).map((p) => `${p.severity} ${p.rule}`))
        .toEqual(['warning scope']);
    });
  });

  describe('unknown kinds', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'payments' } };

    it('are a listed warning by default, and an error with strictUnknown', () => {
      expect(validator.validate(widget)).toEqual([expect.objectContaining({ severity: 'warning', rule: 'unknown-kind', field: 'kind' })]);
      const strict = new SchemaValidator({ strictUnknown: true, crdDirs: [] });
      expect(strict.validate(widget)).toEqual([expect.objectContaining({ severity: 'error', rule: 'unknown-kind' })]);
    });

    it('point to the right apiVersion when the kind exists elsewhere', () => {
      const [p] = validator.validate(variant(kafkaTopic, (t) => { t.apiVersion = 'strimzi.io/v1'; }));
      expect(p.message).toContain('the CRD in schemas/crds/strimzi/043-Crd-kafkatopic.yaml defines KafkaTopic in group kafka.strimzi.io (apiVersion kafka.strimzi.io/v1)');
    });

    it('are reported for objects that are not Kubernetes objects at all', () => {
      expect(brief({ title: 'README' })).toEqual([
        'error not-an-object apiVersion: is required: a Kubernetes object needs apiVersion, kind and metadata.name',
        'error not-an-object kind: is required: a Kubernetes object needs apiVersion, kind and metadata.name',
      ]);
      expect(brief(['a'])[0]).toMatch(/^error not-an-object -: is not a Kubernetes object/);
    });
  });

  describe('CRD sources', () => {
    const widgetCrd = (served: string) => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
        versions: [{ name: served, served: true, storage: true, schema: { openAPIV3Schema: {
          type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', format: 'int32' } } } },
        } } }],
      },
    });
    const widget = (size: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'payments' }, spec: { size } });

    it('reads CRDs from folders of your own, beside the bundled ones', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
      try {
        fs.writeFileSync(path.join(dir, 'widget.yaml'), `# a comment\n---\n${JSON.stringify(widgetCrd('v1'))}\n`);
        const own = new SchemaValidator({ crdDirs: [dir] });
        expect(own.validate(widget(3))).toEqual([]);
        expect(own.validate(widget(2 ** 31)).map((p) => p.message)).toEqual(['must be a valid int32 (got number 2147483648)']);
        expect(own.validate(kafkaTopic).map((p) => p.rule)).toEqual(['unknown-kind']); // only the folders given
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('uses a CRD added at run time (e.g. found in the output) and recompiles when it changes', () => {
      const own = new SchemaValidator({ crdDirs: [] });
      expect(own.addCrd(widgetCrd('v1'), 'dist/crd.yaml')).toBeUndefined();
      expect(own.validate(widget('big')).map((p) => p.field)).toEqual(['spec.size']);
      own.addCrd(widgetCrd('v2'), 'dist/crd.yaml');
      expect(own.validate(widget(1)).map((p) => p.message)).toEqual([
        'example.com/v1 Widget is not served by the CRD in dist/crd.yaml (no such version; served: example.com/v2)',
      ]);
      expect(own.addCrd(configMap, 'x')).toBe('not a CustomResourceDefinition');
    });

    it('reports a CRD folder that does not exist instead of failing', () => {
      const own = new SchemaValidator({ crdDirs: ['/nonexistent/crds'] });
      expect(own.sourceProblems).toEqual([{ file: '/nonexistent/crds', message: 'CRD folder not found' }]);
    });
  });
});
