import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schema, SchemaRegistry, synthesizePlatform, Topic } from 'cdk8s-dataops';
import { findObject } from 'cdk8s-dataops/testing';
import { kafkaFixture, tempOutdir } from './support';

/*
 * Runs the registration Job's own shell script (taken from the synthesized Job) with sh and curl, against a local
 * HTTP endpoint that records requests. This checks the script's requests — order, paths, JSON bodies, escaping —
 * NOT a registry's behaviour: no Confluent-compatible registry can be installed on this machine (Karapace is not on
 * PyPI, Confluent's and Apicurio's servers are not on Maven Central as runnable artifacts).
 */
describe('schema registration Job script', () => {
  const requests: Array<{ method: string; url: string; body: string; auth?: string }> = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
        res.setHeader('Content-Type', 'application/vnd.schemaregistry.v1+json');
        res.end(req.method === 'PUT' ? body : JSON.stringify({ id: requests.length }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sets the compatibility level, then posts every version in order with exact JSON bodies', async () => {
    const outdir = tempOutdir();
    const tricky = { type: 'record', name: 'Order', doc: 'quotes " and \\ backslashes, tabs\tand $dollars', fields: [{ name: 'id', type: 'string' }] };
    const v2 = { ...tricky, fields: [...tricky.fields, { name: 'note', type: 'string', default: '' }] };
    let env;
    for (const definition of [tricky, v2]) {
      const f = kafkaFixture();
      const registry = SchemaRegistry.fromUrl(f.env, 'r', { url: `http://127.0.0.1:${port}` });
      const topic = new Topic(f.env, 't', { cluster: f.cluster, topicName: 'payments.orders.v1' });
      new Schema(f.env, 's', { registry, topic, definition });
      synthesizePlatform(f.platform, { outdir }).write();
      env = f.env;
    }
    const job = findObject(env!, 'Job', 'register-schema-payments-orders-v1-value');
    const cm = findObject(env!, 'ConfigMap', 'schema-payments.orders.v1-value');
    // The pod's view: the ConfigMap mounted at /schemas, the Job's env and command.
    const dir = fs.mkdtempSync(path.join(outdir, 'schemas-'));
    for (const [k, v] of Object.entries(cm.data as Record<string, string>)) fs.writeFileSync(path.join(dir, k), v);
    const [container] = job.spec.template.spec.containers;
    const script = (container.command[2] as string).split('/schemas').join(dir);
    const env2 = Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    // Asynchronous: the endpoint answers from this process's event loop.
    const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH, ...env2 } });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /config/payments.orders.v1-value',
      'POST /subjects/payments.orders.v1-value/versions',
      'POST /subjects/payments.orders.v1-value/versions',
    ]);
    expect(JSON.parse(requests[0].body)).toEqual({ compatibility: 'BACKWARD' });
    const posted = requests.slice(1).map((r) => JSON.parse(r.body));
    expect(posted.map((p) => p.schemaType)).toEqual(['AVRO', 'AVRO']);
    expect(posted.map((p) => JSON.parse(p.schema))).toEqual([tricky, v2]);
  });
});
