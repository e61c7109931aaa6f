import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Volume } from '../../../constructs/k8s';
import { writableVolumeName } from '../../../constructs/k8s/volumes';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';

describe('Volume', () => {
  it('names writable directories readably', () => {
    expect(writableVolumeName('/tmp')).toBe('tmp');
    expect(writableVolumeName('/opt/airflow/logs/')).toBe('opt-airflow-logs');
    expect(writableVolumeName('/')).toBe('root');
  });

  it('checks names, sizes, modes and secret keys', () => {
    const env = newEnv();
    const scope = new Construct(env, 'W');
    const ref = Secrets.fromSecretName(env, 'S', 'creds', { keys: ['password'] });
    expect(errorOf(() => Volume.emptyDir('Bad_Name').validate(scope, 'volumes[0]')))
      .toBe("dev/W, field 'volumes[0]': 'Bad_Name' is not a valid volume name: lower-case letters, digits and '-', at most 63 characters");
    expect(errorOf(() => Volume.emptyDir('x', { sizeLimit: '1G' }).validate(scope, 'volumes[0]')))
      .toBe("dev/W, field 'volumes[0].sizeLimit': '1G' is not a size: use Mi or Gi, e.g. '512Mi'");
    expect(errorOf(() => Volume.secret('x', ref, { items: { token: 'token' } }).validate(scope, 'volumes[1]')))
      .toBe("dev/W, field 'volumes[1].items': secret 'creds' has no key 'token'");
    expect(errorOf(() => Volume.configMap('x', 'cm', { defaultMode: 0o1777 }).validate(scope, 'volumes[2]')))
      .toBe("dev/W, field 'volumes[2].defaultMode': 1023 is not a file mode (0 to 0o777)");
    expect(Volume.emptyDir('x').writable).toBe(true);
    expect(Volume.secret('x', ref).writable).toBe(false);
  });
});
