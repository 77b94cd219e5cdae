/**
 * The templates as a whole: no keys or secrets, azd outputs in UPPER_SNAKE, a parameters file of azd
 * substitutions only, module paths that exist, azure.yaml and the postdeploy hook wired to the outputs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, allBicepFiles, outputs, params, readBicep } from './bicepText.js';

const ROOT = join(INFRA_DIR, '..');
const files = allBicepFiles();
const main = readBicep('main.bicep');
const events = readBicep('events.bicep');
const hook = readFileSync(join(INFRA_DIR, 'hooks', 'postdeploy.sh'), 'utf8');
const azureYaml = readFileSync(join(ROOT, 'azure.yaml'), 'utf8');
const parameterFile = JSON.parse(readFileSync(join(INFRA_DIR, 'main.parameters.json'), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};
/** Set by azd itself in every hook's environment. */
const AZD_VARIABLES = ['AZURE_ENV_NAME', 'AZURE_LOCATION', 'AZURE_SUBSCRIPTION_ID'];

describe('templates', () => {
  it('read no keys and build no key-based connection string', () => {
    const forbidden = [
      /listKeys\s*\(/i,
      /listConnectionStrings/i,
      /AccountKey/i,
      /SharedAccessKey/i,
      /primaryKey|primarySharedKey|sharedKeys/i,
      /DefaultEndpointsProtocol/i,
      /InstrumentationKey=/i,
    ];
    for (const f of files) for (const re of forbidden) expect(f.code, `${f.path} ${re}`).not.toMatch(re);
  });

  it('declare no secure parameter (nothing secret is passed in)', () => {
    for (const f of files) expect(f.code, f.path).not.toMatch(/@secure\(\)/);
  });

  it('name every main.bicep output in UPPER_SNAKE', () => {
    const names = outputs(main).map((o) => o.name);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    for (const n of ['AZURE_FUNCTION_APP_NAME', 'FLEET_API_BASE_URL', 'AZURE_STORAGE_ACCOUNT_NAME'])
      expect(names).toContain(n);
    expect(names).toContain('AZURE_RESOURCE_GROUP');
  });

  it('main.parameters.json is azd substitutions only, for declared parameters, the required ones all there', () => {
    const declared = params(main);
    for (const [name, { value }] of Object.entries(parameterFile.parameters)) {
      expect(
        declared.map((p) => p.name),
        name,
      ).toContain(name);
      expect(value, name).toMatch(/^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$/);
    }
    for (const p of declared.filter((d) => d.value === undefined))
      expect(Object.keys(parameterFile.parameters), p.name).toContain(p.name);
    expect(parameterFile.parameters.fleetSubscriptionIds?.value).toBe('${FLEET_SUBSCRIPTION_IDS}');
  });

  it('every module path exists and every file stays small', () => {
    for (const f of files) {
      for (const m of f.code.matchAll(/\bmodule\s+\w+\s+'([^']+)'/g))
        expect(existsSync(join(INFRA_DIR, dirname(f.path), m[1] ?? '')), `${f.path} -> ${m[1]}`).toBe(true);
      expect(f.raw.split('\n').length, f.path).toBeLessThanOrEqual(200);
    }
  });

  it('azure.yaml deploys this folder as the function service and runs the postdeploy hook', () => {
    expect(azureYaml).toMatch(/^name: osm-fleet$/m);
    expect(azureYaml).toMatch(/^ {2}api:\n {4}project: \.\n {4}language: ts\n {4}host: function$/m);
    expect(azureYaml).toMatch(
      /^ {2}postdeploy:\n {4}posix:\n {6}shell: sh\n {6}run: \.\/infra\/hooks\/postdeploy\.sh$/m,
    );
    expect(statSync(join(INFRA_DIR, 'hooks', 'postdeploy.sh')).mode & 0o111).not.toBe(0);
  });

  it('the hook reads only main.bicep outputs (or azd variables) and passes exactly the events.bicep parameters', () => {
    const required = [...hook.matchAll(/\$\{([A-Z][A-Z0-9_]*)[:?+]/g)].map((m) => m[1] ?? '');
    const provided = [...outputs(main).map((o) => o.name), ...AZD_VARIABLES];
    for (const v of new Set(required)) expect(provided, v).toContain(v);
    const passed = [...hook.matchAll(/^\s+(\w+)="\$/gm)].map((m) => m[1] ?? '').sort();
    expect(passed).toEqual(
      params(events)
        .map((p) => p.name)
        .sort(),
    );
  });

  it('keeps the package free of tests, tools and dev files (.funcignore)', () => {
    const ignored = readFileSync(join(ROOT, '.funcignore'), 'utf8').split('\n');
    for (const entry of ['node_modules/', 'test/', 'emulator/', 'bench/', 'local/', 'docs/', 'infra/'])
      expect(ignored).toContain(entry);
    for (const kept of ['host.json', 'package.json', 'functions/', 'shared/', 'dist/'])
      expect(ignored).not.toContain(kept);
  });
});
