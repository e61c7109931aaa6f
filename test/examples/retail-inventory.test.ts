/**
 * examples/retail-inventory: what its definition promises, read from the dist the real `synth` bin writes, and the
 * same dist read as the pull model reads it (ops/kafka's desired-state reader behind `synth kafka plan|apply`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DesiredState, loadDesiredState } from '../../ops/kafka';
import { ExampleDist } from './example-dist';

describe('examples/retail-inventory', () => {
  let dist: ExampleDist;
  let prod: DesiredState;
  beforeAll(() => {
    dist = ExampleDist.synthesize('retail-inventory');
    prod = loadDesiredState({ distDir: dist.dir, env: 'prod', cluster: 'stores' });
  }, 120_000);

  const bindings = (state: DesiredState, user: string) =>
    state.users.find((u) => u.name === user)!.acls!.map((a) => `${a.permission} ${a.resourceType}:${a.resourceName}:${a.patternType} ${a.operation}`).sort();

  it('loads into the pull model: every topic and user of the stores cluster, nothing skipped', () => {
    expect(prod.skipped).toEqual([]);
    expect(prod.topics.filter((t) => t.name.startsWith('inventory.')).map((t) => `${t.name} ${t.partitions}x${t.replicas}`)).toEqual([
      'inventory.catalogue.v1 32x3', 'inventory.restock-orders.v1 32x3', 'inventory.shelf-scans.v1 32x3', 'inventory.stock-levels.v1 32x3',
    ]);
    for (const t of prod.topics) expect([t.replicas, t.config['min.insync.replicas']]).toEqual([3, '2']);
    expect(prod.users.map((u) => u.name).sort()).toEqual(['catalogue-source-connector', 'inventory-connect-connect', 'restock-to-erp-connector', 'restocker', 'stock-counter']);
    const staging = loadDesiredState({ distDir: dist.dir, env: 'staging', cluster: 'stores' });
    for (const t of staging.topics) expect(t.replicas).toBe(1);
  });

  it('grants each app and connector exactly the bindings it needs', () => {
    expect(bindings(prod, 'stock-counter')).toEqual([
      'allow group:stock-counter:literal Read',
      'allow topic:inventory.catalogue.v1:literal Describe', 'allow topic:inventory.catalogue.v1:literal Read',
      'allow topic:inventory.shelf-scans.v1:literal Describe', 'allow topic:inventory.shelf-scans.v1:literal Read',
      'allow topic:inventory.stock-levels.v1:literal Describe', 'allow topic:inventory.stock-levels.v1:literal Write',
      'allow transactionalId:stock-counter-:prefix Describe', 'allow transactionalId:stock-counter-:prefix Write',
    ]);
    expect(bindings(prod, 'restocker')).toEqual([
      'allow group:restocker:literal Read',
      'allow topic:inventory.restock-orders.v1:literal Describe', 'allow topic:inventory.restock-orders.v1:literal Write',
      'allow topic:inventory.stock-levels.v1:literal Describe', 'allow topic:inventory.stock-levels.v1:literal Read',
    ]);
    expect(bindings(prod, 'catalogue-source-connector')).toEqual([
      'allow topic:inventory.catalogue.v1:literal Describe', 'allow topic:inventory.catalogue.v1:literal Write',
    ]);
    expect(bindings(prod, 'restock-to-erp-connector')).toEqual([
      'allow group:connect-restock-to-erp:literal Read',
      'allow topic:inventory.restock-orders.v1:literal Describe', 'allow topic:inventory.restock-orders.v1:literal Read',
    ]);
    // the Connect workers touch their own internal topics only
    expect(bindings(prod, 'inventory-connect-connect').filter((b) => b.includes('topic:inventory.'))).toEqual([]);
  });

  it('shows scans → stock-counter → levels → restocker → restock orders → ERP, and the catalogue source, in the lineage', () => {
    expect(dist.lineageEdges()).toEqual(expect.arrayContaining([
      'topic:stores/inventory.shelf-scans.v1 -> app:inventory/stock-counter',
      'topic:stores/inventory.catalogue.v1 -> app:inventory/stock-counter',
      'app:inventory/stock-counter -> topic:stores/inventory.stock-levels.v1',
      'topic:stores/inventory.stock-levels.v1 -> app:inventory/restocker',
      'app:inventory/restocker -> topic:stores/inventory.restock-orders.v1',
      'topic:stores/inventory.restock-orders.v1 -> connector:kafka/restock-to-erp',
      'connector:kafka/catalogue-source -> topic:stores/inventory.catalogue.v1',
    ]));
  });

  it('writes no secret value: no Secret, connector logins through the config provider', () => {
    expect(dist.secretLeaks()).toEqual([]);
    const sink = dist.object('manifests/prod/kafka/kafkaconnector.restock-to-erp.yaml').spec.config;
    expect(sink['connection.password']).toMatch(/^\$\{secrets:inventory\/connector-logins:erpPassword\}$/);
  });

  it('passes the recommended pack: no unacknowledged error, a lag alert for every prod consumer group', () => {
    const policy = dist.policy();
    expect([policy.summary.errors, policy.summary.warnings]).toEqual([0, 0]);
    expect(policy.findings.filter((f) => f.level === 'error' && !f.acknowledged)).toEqual([]);
    const rule = dist.object('manifests/prod/inventory/prometheusrule.stock-consumer-lag.yaml');
    const exprs = rule.spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.expr).join('\n');
    for (const group of ['stock-counter', 'restocker', 'connect-restock-to-erp']) expect(exprs).toContain(group);
  });

  it('is accepted by synth validate --strict-unknown, and the committed dist is up to date', () => {
    expect(dist.validateAndCheck()).toEqual({ validate: [0, ''], check: [0, ''] });
  }, 120_000);
});
