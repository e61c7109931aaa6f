import { describe, expect, it } from 'vitest';
import { DataPlatform } from 'cdk8s-dataops';
import { registerSyncWave, SyncWave, SyncWaves } from '../../../constructs/gitops';
import { syncWaveOf, syncWaveTable } from '../../../constructs/gitops/sync-waves';

describe('sync wave table', () => {
  it('classifies the kinds of a data platform', () => {
    expect(syncWaveOf('', 'Namespace')).toBe(SyncWave.PREREQUISITES);
    expect(syncWaveOf('apiextensions.k8s.io', 'CustomResourceDefinition')).toBe(-10);
    expect(syncWaveOf('external-secrets.io', 'ExternalSecret')).toBe(-5);
    expect(syncWaveOf('bitnami.com', 'SealedSecret')).toBe(-5);
    // No domain's kinds: a domain declares them on the platforms that use it.
    expect(syncWaveOf('kafka.strimzi.io', 'KafkaUser')).toBeUndefined();
    expect(syncWaveOf('apps', 'StatefulSet')).toBe(10);
    expect(syncWaveOf('example.com', 'Widget')).toBeUndefined();
  });

  it('lets domain modules register kinds, by bare kind or by group', () => {
    registerSyncWave('AirflowSchemaRegistration', 3);
    expect(syncWaveOf('airflow.example.com', 'AirflowSchemaRegistration')).toBe(3);
    registerSyncWave('registry.example.com/Schema', SyncWave.DATA);
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
    expect(() => SyncWaves.of(new DataPlatform()).register('X', Number.NaN)).toThrow(/must be an integer/);
  });

  it('keeps the waves a platform declares to that platform; group-qualified entries win, then the process-wide ones', () => {
    const platform = new DataPlatform();
    const waves = SyncWaves.of(platform);
    expect(SyncWaves.of(platform)).toBe(waves);
    waves.register('widgets.example.com/Widget', SyncWave.INTEGRATIONS);
    waves.register('Gadget', 3);
    expect(waves.waveOf('widgets.example.com', 'Widget')).toBe(5);
    expect(waves.waveOf('other.example.com', 'Gadget')).toBe(3);
    expect(waves.waveOf('apps', 'Deployment')).toBe(SyncWave.WORKLOADS);
    waves.register('apps/Deployment', 11);
    expect(waves.waveOf('apps', 'Deployment')).toBe(11);
    expect(waves.table()).toContainEqual({ kind: 'widgets.example.com/Widget', wave: 5 });
    const other = SyncWaves.of(new DataPlatform());
    expect(other.waveOf('widgets.example.com', 'Widget')).toBeUndefined();
    expect(other.waveOf('apps', 'Deployment')).toBe(10);
    expect(syncWaveTable().some((e) => e.kind.includes('Widget'))).toBe(false);
  });
});
