// Loads OpenAPI (swagger 2.0) files from vendor/specs (vendor/MANIFEST.md) and validates bodies against their definitions
// with ajv. Cross-file $refs (including ../../../common-types/...) are rewritten to absolute file URLs and
// every referenced file is added to ajv; `x-nullable: true` becomes "or null"; open (modelAsString) enums
// accept any string.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

export const SPECS_ROOT = fileURLToPath(new URL('../../vendor/specs/specification', import.meta.url));

type Json = Record<string, unknown>;

export class SpecValidator {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    validateSchema: false,
  });
  private readonly loaded = new Set<string>();
  private readonly cache = new Map<string, ValidateFunction>();

  /** Validate `body` against `definitions/<name>` of the spec file (path relative to SPECS_ROOT). */
  validate(specFile: string, definition: string, body: unknown): string[] {
    const file = resolve(SPECS_ROOT, specFile);
    const ref = `${pathToFileURL(file).href}#/definitions/${definition}`;
    let fn = this.cache.get(ref);
    if (!fn) {
      this.load(file);
      fn = this.ajv.compile({ $ref: ref });
      this.cache.set(ref, fn);
    }
    if (fn(body)) return [];
    return (fn.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }

  private load(file: string): void {
    if (this.loaded.has(file)) return;
    this.loaded.add(file);
    // Definitions only: the paths' parameter files (e.g. operationalinsights common/v1) are not vendored.
    const { paths: _paths, parameters: _parameters, ...doc } = JSON.parse(readFileSync(file, 'utf8')) as Json;
    const pending: string[] = [];
    const rewritten = rewrite(doc, file, pending) as Json;
    this.ajv.addSchema({ ...rewritten, $id: pathToFileURL(file).href });
    for (const other of pending) this.load(other);
  }
}

function rewrite(node: unknown, file: string, pending: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, file, pending));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  // An `x-ms-enum` with `modelAsString: true` is open: the service may send (and accepts) other values.
  const openEnum =
    ((node as Json)['x-ms-enum'] as { modelAsString?: boolean } | undefined)?.modelAsString === true;
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'enum' && openEnum) continue;
    if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) {
      const [path = '', fragment = ''] = v.split('#');
      const target = resolve(dirname(file), path);
      pending.push(target);
      out.$ref = `${pathToFileURL(target).href}#${fragment}`;
    } else if (k === 'example' || k === 'x-ms-examples') {
      continue;
    } else {
      out[k] = rewrite(v, file, pending);
    }
  }
  // Where real ARM answers deviate from the spec's types (recorded, test/recordings/): null systemData
  // who-fields, and `nextLink: null` on the last page of a list.
  const props = out.properties as Json | undefined;
  if (props?.nextLink && typeof props.nextLink === 'object')
    props.nextLink = { anyOf: [{ type: 'null' }, props.nextLink] };
  if (props && 'createdByType' in props && 'lastModifiedByType' in props) {
    for (const k of ['createdBy', 'createdByType', 'lastModifiedBy', 'lastModifiedByType']) {
      if (props[k]) props[k] = { anyOf: [{ type: 'null' }, props[k]] };
    }
  }
  if (out['x-nullable'] === true) {
    const { 'x-nullable': _n, description: _d, ...rest } = out;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return out;
}

// The flat-layout copy: the per-service copy (.../extensions/stable/2023-05-01/) climbs one directory too
// many to reach common-types in this snapshot (see MANIFEST.md: identical except relative $ref depth).
export const EXTENSIONS_SPEC =
  'kubernetesconfiguration/resource-manager/Microsoft.KubernetesConfiguration/stable/2023-05-01/extensions.json';
export const KC_COMMON =
  'kubernetesconfiguration/resource-manager/Microsoft.KubernetesConfiguration/common/2022-03-01/definitions.json';
export const CLUSTERS_SPEC =
  'hybridkubernetes/resource-manager/Microsoft.Kubernetes/stable/2024-01-01/connectedClusters.json';
export const ARM_TYPES = 'common-types/resource-management/v2/types.json';
export const EXAMPLES_DIR =
  'kubernetesconfiguration/resource-manager/Microsoft.KubernetesConfiguration/stable/2023-05-01/examples';
export const CLUSTER_EXAMPLES_DIR =
  'hybridkubernetes/resource-manager/Microsoft.Kubernetes/stable/2024-01-01/examples';

export function readExample(dir: string, name: string): Json {
  return JSON.parse(readFileSync(resolve(SPECS_ROOT, dir, name), 'utf8')) as Json;
}

export { fileURLToPath };
