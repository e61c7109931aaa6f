import { describe, expect, it } from 'vitest';
import { registerSyncWave, SyncWave, syncWaveOf, syncWaveTable } from '../../../constructs/gitops';

describe('sync wave table', () => {
  it('classifies the kinds of a data platform', () => {
    expect(syncWaveOf('', 'Namespace')).toBe(SyncWave.PREREQUISITES);
    expect(syncWaveOf('apiextensions.k8s.io', 'CustomResourceDefinition')).toBe(-10);
    expect(syncWaveOf('external-secrets.io', 'ExternalSecret')).toBe(-5);
    expect(syncWaveOf('bitnami.com', 'SealedSecret')).toBe(-5);
    expect(syncWaveOf('kafka.strimzi.io', 'KafkaUser')).toBe(0);
    expect(syncWaveOf('kafka.strimzi.io', 'KafkaConnector')).toBe(5);
    expect(syncWaveOf('apps', 'StatefulSet')).toBe(10);
    expect(syncWaveOf('example.com', 'Widget')).toBeUndefined();
  });

  it('lets domain modules register kinds, by bare kind or by group', () => {
    registerSyncWave('AirflowSchemaRegistration', 3);
    expect(syncWaveOf('airflow.example.com', 'AirflowSchemaRegistration')).toBe(3);
    registerSyncWave('registry.example.com/Schema', SyncWave.KAFKA);
    expect(syncWaveOf('registry.example.com', 'Schema')).toBe(0);
    expect(syncWaveOf('other.example.com', 'Schema')).toBeUndefined();
    // the group-qualified entry wins over the bare kind
    registerSyncWave('Schema', 7);
    expect(syncWaveOf('registry.example.com', 'Schema')).toBe(0);
    expect(syncWaveOf('other.example.com', 'Schema')).toBe(7);
    expect(syncWaveTable().find((e) => e.kind === 'registry.example.com/Schema')).toEqual({ kind: 'registry.example.com/Schema', wave: 0 });
  });

  it('refuses a wave that is not an integer', () => {
    expect(() => registerSyncWave('X', 1.5)).toThrow(/must be an integer/);
  });
});
