import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DataPlatform, Environment, ObjectMetadata } from 'cdk8s-dataops';
import { inheritedMetadata } from '../../lib/metadata';
import { findObject } from 'cdk8s-dataops/testing';

describe('ObjectMetadata', () => {
  it('passes labels and annotations down to every object inside; the nearest construct wins, the object itself wins over all', () => {
    const platform = new DataPlatform();
    const env = new Environment(platform, 'prod', { namespace: 'payments' });
    const team = new Construct(env, 'team');
    const pipeline = new Construct(team, 'pipeline');
    ObjectMetadata.of(team).addLabel('team', 'payments').addLabel('tier', 'gold').addAnnotation('owner', 'team-payments');
    ObjectMetadata.of(pipeline).addLabel('tier', 'silver');
    new ApiObject(pipeline, 'inner', { apiVersion: 'v1', kind: 'ConfigMap' });
    new ApiObject(pipeline, 'own', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { team: 'mine' }, annotations: { owner: 'me' } } });
    new ApiObject(env, 'outside', { apiVersion: 'v1', kind: 'ConfigMap' });

    expect(inheritedMetadata(new Construct(pipeline, 'x'))).toEqual({ labels: { team: 'payments', tier: 'silver' }, annotations: { owner: 'team-payments' } });
    const inner = findObject(env, 'ConfigMap', 'inner');
    expect(inner.metadata.labels).toMatchObject({ team: 'payments', tier: 'silver' });
    expect(inner.metadata.annotations).toEqual({ owner: 'team-payments' });
    const own = findObject(env, 'ConfigMap', 'own');
    expect(own.metadata.labels).toMatchObject({ team: 'mine', tier: 'silver' });
    expect(own.metadata.annotations).toEqual({ owner: 'me' });
    expect(findObject(env, 'ConfigMap', 'outside').metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-dataops' });
  });

  it('is created once per construct', () => {
    const c = new Construct(undefined as any, 'root');
    expect(ObjectMetadata.of(c)).toBe(ObjectMetadata.of(c));
    expect(ObjectMetadata._peek(new Construct(c, 'other'))).toBeUndefined();
  });
});
