import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { parse } from 'yaml';
import { DataPlatform, Synthesis, synthesizePlatform } from 'cdk8s-dataops';
import { Manifest } from 'cdk8s-dataops/testing';

export const REPO = 'https://github.com/acme/data-platform.git';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder outside any Git working tree (removed after the test file). */
export function tmpdir(prefix = 'gitops-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Synthesizes in memory (into a temporary outdir that is never written unless the caller writes). */
export function synth(platform: DataPlatform, outdir = path.join(tmpdir(), 'dist')): Synthesis {
  return synthesizePlatform(platform, { outdir });
}

/** The object in an output file (bootstrap files hold exactly one document). */
export function fileObject(synthesis: Pick<Synthesis, 'files'>, file: string): Manifest {
  const text = synthesis.files.get(file);
  if (text === undefined) throw new Error(`no file ${file}; files: ${[...synthesis.files.keys()].join(', ')}`);
  return parse(text) as Manifest;
}

/** The files under a folder of the output. */
export function filesUnder(synthesis: Pick<Synthesis, 'files'>, folder: string): string[] {
  return [...synthesis.files.keys()].filter((f) => f.startsWith(`${folder}/`)).sort();
}

/** An object of an environment's manifests, as written. */
export function manifest(synthesis: Synthesis, kind: string, name: string): Manifest {
  const found = synthesis.objects.filter((o) => o.object.kind === kind && o.object.metadata.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${kind} named ${name}`);
  return parse(synthesis.files.get(found[0].file)!) as Manifest;
}
