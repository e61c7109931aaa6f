import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Environment } from 'cdk8s-dataops';
import { findObject, findObjects, Manifest, synthesize } from 'cdk8s-dataops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { Airflow, Dags } from '../../../constructs/airflow';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, externalSecret, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const EXAMPLE_DAGS = path.resolve(__dirname, '../../../examples/airflow-dags');

function airflow(env: Environment, dags: Dags, executor: 'KubernetesExecutor' | 'CeleryExecutor' | 'LocalExecutor' = 'CeleryExecutor'): Airflow {
  const s = externalSecret(env, 'AirflowSecrets', ['connection', 'fernet', 'api', 'redis']);
  return new Airflow(env, 'Airflow', {
    executor, dags,
    metadataDatabase: s.envValue('connection'), fernetKey: s.envValue('fernet'), apiSecretKey: s.envValue('api'),
    ...(executor === 'CeleryExecutor' ? { redisPassword: s.envValue('redis') } : {}),
  });
}

const podSpec = (d: Manifest) => d.spec.template.spec;
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('Dags.fromGit', () => {
  it('clones in an init container and keeps pulling in a git-sync v4 sidecar, in the components that read DAG files', () => {
    const e = newEnv('prod', 'airflow');
    airflow(e, Dags.fromGit({ repo: 'https://github.com/acme/dags.git', ref: 'release', subPath: 'airflow/dags', period: '30s' }));
    const objects = synthesize(e);
    validateAll(objects);
    const worker = podSpec(findObject(objects, 'Deployment', 'airflow-worker'));
    const init = worker.initContainers.find((c: any) => c.name === 'git-sync-init');
    const sidecar = worker.containers.find((c: any) => c.name === 'git-sync');
    const common = {
      GITSYNC_REPO: 'https://github.com/acme/dags.git', GITSYNC_REF: 'release', GITSYNC_ROOT: '/git', GITSYNC_LINK: 'repo',
      GITSYNC_DEPTH: '1', GITSYNC_MAX_FAILURES: '0',
    };
    expect(envOf(init)).toEqual({ ...common, GITSYNC_ONE_TIME: 'true' });
    expect(envOf(sidecar)).toEqual({ ...common, GITSYNC_PERIOD: '30s' });
    expect(init.image).toBe('registry.k8s.io/git-sync/git-sync:v4.4.2');
    expect(init.securityContext).toMatchObject({ runAsUser: 65533, readOnlyRootFilesystem: true });
    expect(init.volumeMounts).toContainEqual({ name: 'dags', mountPath: '/git', readOnly: false });
    // the clone comes before Airflow checks the database
    expect(worker.initContainers.map((c: any) => c.name)).toEqual(['git-sync-init', 'wait-for-airflow-migrations']);
    const main = worker.containers[0];
    expect(main.volumeMounts).toContainEqual({ name: 'dags', mountPath: '/opt/airflow/dags', readOnly: true });
    expect(envOf(main).AIRFLOW__CORE__DAGS_FOLDER).toBe('/opt/airflow/dags/repo/airflow/dags');
    // Airflow 3's api-server and scheduler (non-local executors) work from serialized DAGs: no clone there
    for (const name of ['airflow-api-server', 'airflow-scheduler']) {
      expect(podSpec(findObject(objects, 'Deployment', name)).containers.map((c: any) => c.name)).not.toContain('git-sync');
    }
    for (const name of ['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker']) {
      expect(podSpec(findObject(objects, 'Deployment', name)).containers.map((c: any) => c.name)).toContain('git-sync');
      expect(findObject(objects, 'NetworkPolicy', name).spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    }
  });

  it('mounts an SSH key from a Secret and checks host keys when given', () => {
    const e = newEnv();
    const key = Secrets.fromSecretName(e, 'DeployKey', 'dags-deploy-key', { keys: ['id_ed25519'] });
    airflow(e, Dags.fromGit({ repo: 'git@github.com:acme/dags.git', sshKey: key.envValue('id_ed25519'), knownHosts: 'github.com ssh-ed25519 AAAA' }));
    const objects = synthesize(e);
    validateAll(objects);
    const spec = podSpec(findObject(objects, 'Deployment', 'airflow-dag-processor'));
    const sidecar = spec.containers.find((c: any) => c.name === 'git-sync');
    expect(envOf(sidecar)).toMatchObject({
      GITSYNC_SSH_KEY_FILE: '/etc/git-secret/ssh', GITSYNC_SSH_KNOWN_HOSTS: 'true', GITSYNC_SSH_KNOWN_HOSTS_FILE: '/etc/git-secret/known_hosts',
    });
    expect(spec.volumes).toContainEqual({ name: 'git-ssh-key', secret: { secretName: 'dags-deploy-key', defaultMode: 0o400, items: [{ key: 'id_ed25519', path: 'ssh' }] } });
    expect(findObject(objects, 'ConfigMap', 'airflow-git-known-hosts').data).toEqual({ known_hosts: 'github.com ssh-ed25519 AAAA' });
    expect(findObject(objects, 'NetworkPolicy', 'airflow-dag-processor').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 22, protocol: 'TCP' }] });
  });

  it('takes HTTPS credentials from a Secret', () => {
    const e = newEnv();
    const token = Secrets.fromSecretName(e, 'GitToken', 'git-token', { keys: ['username', 'token'] });
    airflow(e, Dags.fromGit({ repo: 'https://github.com/acme/dags.git', credentials: { username: token.envValue('username'), password: token.envValue('token') } }));
    const sidecar = podSpec(findObject(e, 'Deployment', 'airflow-triggerer')).containers.find((c: any) => c.name === 'git-sync');
    expect(envOf(sidecar)).toMatchObject({
      GITSYNC_USERNAME: { secretKeyRef: { name: 'git-token', key: 'username' } },
      GITSYNC_PASSWORD: { secretKeyRef: { name: 'git-token', key: 'token' } },
    });
  });

  it('names the construct and field of a bad option', () => {
    expect(errorOf(() => airflow(newEnv(), Dags.fromGit({ repo: 'http://git.internal/dags.git' }))))
      .toBe("dev/Airflow, field 'dags.repo': must be an https:// URL, an ssh:// URL or 'git@host:org/repo.git' (plain http and file URLs are refused)");
    expect(errorOf(() => airflow(newEnv(), Dags.fromGit({ repo: 'https://github.com/acme/dags.git', period: 'often' }))))
      .toBe("dev/Airflow, field 'dags.period': must be a Go duration such as '60s' or '5m'");
    expect(errorOf(() => airflow(newEnv(), Dags.fromGit({ repo: 'https://github.com/acme/dags.git', subPath: '../etc' }))))
      .toBe("dev/Airflow, field 'dags.subPath': must be a relative path inside the repository");
  });
});

describe('Dags.fromDirectory', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dags-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function synthFrom(dir: string): Manifest[] {
    const e = newEnv('prod', 'airflow');
    airflow(e, Dags.fromDirectory(dir), 'LocalExecutor');
    return synthesize(e);
  }
  const checksums = (objects: Manifest[]) => Object.fromEntries(findObjects(objects, 'Deployment')
    .map((d) => [d.metadata.name, d.spec.template.metadata.annotations?.['checksum/dags']]));

  it('ships the folder as a ConfigMap, nested files put back in place', () => {
    const dir = path.join(tmp, 'nested');
    fs.mkdirSync(path.join(dir, 'lib', '__pycache__'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.py'), 'print(1)\n');
    fs.writeFileSync(path.join(dir, 'lib', 'helpers.py'), 'X = 1\n');
    fs.writeFileSync(path.join(dir, 'lib', '__pycache__', 'helpers.pyc'), 'junk');
    fs.writeFileSync(path.join(dir, '.airflowignore'), 'tmp/\n');
    const objects = synthFrom(dir);
    validateAll(objects);
    expect(findObject(objects, 'ConfigMap', 'airflow-dags').data).toEqual({ 'a.py': 'print(1)\n', 'lib__helpers.py': 'X = 1\n' });
    const spec = podSpec(findObject(objects, 'Deployment', 'airflow-scheduler'));
    expect(spec.volumes).toContainEqual({
      name: 'dags', configMap: { name: 'airflow-dags', items: [{ key: 'a.py', path: 'a.py' }, { key: 'lib__helpers.py', path: 'lib/helpers.py' }] },
    });
    expect(spec.containers[0].env.find((e: any) => e.name === 'AIRFLOW__CORE__DAGS_FOLDER').value).toBe('/opt/airflow/dags');
  });

  it('rolls the pods that read DAGs when a DAG changes, deterministically', () => {
    const dir = path.join(tmp, 'example');
    fs.cpSync(EXAMPLE_DAGS, dir, { recursive: true });
    const first = checksums(synthFrom(dir));
    expect(checksums(synthFrom(dir))).toEqual(first);
    // with LocalExecutor, scheduler (runs tasks), dag-processor and triggerer read DAG files; the api-server does not
    expect(first['airflow-scheduler']).toMatch(/^[0-9a-f]{64}$/);
    expect(first['airflow-dag-processor']).toBe(first['airflow-scheduler']);
    expect(first['airflow-api-server']).toBeUndefined();

    fs.appendFileSync(path.join(dir, 'orders_daily.py'), '# retries tuned\n');
    const second = checksums(synthFrom(dir));
    for (const name of ['airflow-scheduler', 'airflow-dag-processor', 'airflow-triggerer']) {
      expect(second[name], name).toMatch(/^[0-9a-f]{64}$/);
      expect(second[name], name).not.toBe(first[name]);
    }
  });

  it('fails clearly on a missing or empty folder', () => {
    expect(errorOf(() => synthFrom(path.join(tmp, 'missing')))).toMatch(/^prod\/Airflow, field 'dags': DAG folder '.*missing' \(.*\) does not exist or is not a folder$/);
    fs.mkdirSync(path.join(tmp, 'empty'));
    expect(errorOf(() => synthFrom(path.join(tmp, 'empty')))).toMatch(/^prod\/Airflow, field 'dags': DAG folder '.*empty' has no files$/);
  });
});
