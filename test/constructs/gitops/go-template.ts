import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parse } from 'yaml';
import { tmpdir } from './support';

/** Whether a Go toolchain is on the PATH (the ApplicationSet rendering test needs one). */
export const HAS_GO = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;

/**
 * Builds the renderer in go-template/main.go: Go's text/template with `missingkey=error`, the engine the
 * ApplicationSet controller uses for `goTemplate: true`. Returns a function rendering templates with params.
 */
export function buildGoTemplateRenderer(): (params: unknown, templates: readonly string[]) => string[] {
  const bin = path.join(tmpdir('go-template-'), 'render');
  execFileSync('go', ['build', '-o', bin, path.join(__dirname, 'go-template', 'main.go')], {
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' }, stdio: 'pipe',
  });
  return (params, templates) => {
    const out = JSON.parse(execFileSync(bin, { input: JSON.stringify({ params, templates }), encoding: 'utf8' })) as { results?: string[]; error?: string };
    if (out.error) throw new Error(out.error);
    return out.results ?? [];
  };
}

/**
 * The Application the ApplicationSet controller generates for a git directory: every string of the template
 * rendered with the generator's parameters, then the rendered `templatePatch` merged in (a strategic merge patch;
 * ours only touches maps, where it is a recursive merge in which null deletes a key).
 */
export function generateApplication(applicationSet: any, directory: string, render: ReturnType<typeof buildGoTemplateRenderer>): any {
  const params = { path: { path: directory, basename: path.posix.basename(directory), basenameNormalized: path.posix.basename(directory), segments: directory.split('/') } };
  const strings: string[] = [];
  const collect = (v: any): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  const template = applicationSet.spec.template;
  collect(template);
  const rendered = render(params, [...strings, applicationSet.spec.templatePatch ?? '{}']);
  let i = 0;
  const replace = (v: any): any => {
    if (typeof v === 'string') return rendered[i++];
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    return v;
  };
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...replace(template) };
  return merge(app, parse(rendered[i]) ?? {});
}

function merge(target: any, patch: any): any {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = { ...(target && typeof target === 'object' && !Array.isArray(target) ? target : {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}
