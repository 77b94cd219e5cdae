// The KQL subset the emulator evaluates, operator by operator, over a small known table.
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../emulator/graph/compileQuery.js';
import { KqlError } from '../../emulator/graph/kqlError.js';
import type { Row } from '../../emulator/graph/kqlValues.js';

const cluster = (name: string, dist: string, nodes: number, tags: Record<string, string>): Row => ({
  id: `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
  name,
  type: 'microsoft.kubernetes/connectedclusters',
  location: nodes > 2 ? 'eastus' : 'westeurope',
  tags,
  properties: { distribution: dist, totalNodeCount: nodes, x: { 'a-b': 'deep' } },
});
const resources: Row[] = [
  cluster('Alpha', 'AKS', 3, { env: 'prod' }),
  cluster('beta', 'openshift', 1, { env: 'dev', team: 'web-api' }),
  cluster('gamma', 'k3s', 5, {}),
];
const extensions: Row[] = [
  {
    id: `${String(resources[0]!.id)}/providers/Microsoft.KubernetesConfiguration/extensions/osm`,
    name: 'osm',
    type: 'microsoft.kubernetesconfiguration/extensions',
    properties: { ExtensionType: 'microsoft.openservicemesh', Version: '1.2.3' },
  },
];
const run = (query: string): Row[] =>
  compileQuery(query).run((t) => (t === 'resources' ? resources : extensions));
const names = (query: string): unknown[] => run(query).map((r) => r.name);

describe('KQL evaluation', () => {
  it.each([
    ["where name == 'alpha'", []],
    ["where name =~ 'ALPHA'", ['Alpha']],
    ["where name != 'beta'", ['Alpha', 'gamma']],
    ["where name !~ 'BETA'", ['Alpha', 'gamma']],
    ['where toint(properties.totalNodeCount) > 1', ['Alpha', 'gamma']],
    ['where properties.totalNodeCount >= 3 and properties.totalNodeCount <= 3', ['Alpha']],
    ['where properties.totalNodeCount < 3', ['beta']],
    ["where name contains 'LP'", ['Alpha']],
    ["where name !contains 'a'", []],
    ["where tags.team has 'api'", ['beta']],
    ["where tags.team has 'ap'", []],
    ["where name startswith 'g' or name endswith 'TA'", ['beta', 'gamma']],
    ["where name in ('beta', 'Alpha')", ['Alpha', 'beta']],
    ["where name in~ ('ALPHA')", ['Alpha']],
    ["where name !in ('beta')", ['Alpha', 'gamma']],
    ["where name matches regex '^[ab]'", ['beta']],
    ["where not(name == 'beta') and isnotempty(tags.env)", ['Alpha']],
    ['where isempty(tags.env)', ['gamma']],
    ['where isnull(tags.env)', ['gamma']],
    ['where isnotnull(tags.env)', ['Alpha', 'beta']],
    ["where tags['env'] == 'prod'", ['Alpha']],
    ["where properties['x']['a-b'] == 'deep' and name == 'gamma'", ['gamma']],
    ["where tostring(properties.distribution) =~ 'aks'", ['Alpha']],
    ['order by name asc', ['Alpha', 'beta', 'gamma']],
    ['sort by toint(properties.totalNodeCount)', ['gamma', 'Alpha', 'beta']],
    ['order by name desc | take 2', ['gamma', 'beta']],
    ['limit 1', ['Alpha']],
  ])('Resources | %s', (tail, expected) => {
    expect(names(`Resources | ${tail}`)).toEqual(expected);
  });

  it('extend, project with renames, project-away, project-rename', () => {
    expect(
      run(
        "resources | extend d = toupper(tostring(properties.distribution)), n = strcat(name, '-', d) | project n | take 1",
      ),
    ).toEqual([{ n: 'Alpha-AKS' }]);
    expect(
      run("Resources | where name == 'beta' | project name, dist = properties.distribution, tags.team"),
    ).toEqual([{ name: 'beta', dist: 'openshift', tags_team: 'web-api' }]);
    const kept = Object.keys(run('Resources | project-away properties, tags, id | take 1')[0]!);
    expect(kept).toEqual(expect.arrayContaining(['name', 'type', 'location', 'subscriptionId']));
    for (const gone of ['properties', 'tags', 'id']) expect(kept).not.toContain(gone);
    expect(
      run("Resources | where name == 'gamma' | project name | project-rename clusterName = name"),
    ).toEqual([{ clusterName: 'gamma' }]);
  });

  it('functions: iff, coalesce, split with index, substring, indexof, parse_json, tolower', () => {
    const [row] = run(`Resources | where name == 'Alpha'
      | extend big = iff(toint(properties.totalNodeCount) > 2, 'big', 'small'), t = coalesce(tags.nokey, tags.env),
        clusterId = tolower(tostring(split(id, '/providers/')[0])), rg = substring(id, indexof(id, 'resourceGroups/') + 15, 2),
        p = parse_json('{"k":[1,2]}'), k = p.k[1]
      | project big, t, clusterId, rg, k`);
    expect(row).toEqual({
      big: 'big',
      t: 'prod',
      clusterId: '/subscriptions/s1/resourcegroups/rg',
      rg: 'rg',
      k: 2,
    });
  });

  it('summarize count() by a column and by an expression', () => {
    expect(run('Resources | summarize count() by location | order by location asc')).toEqual([
      { location: 'eastus', count_: 2 },
      { location: 'westeurope', count_: 1 },
    ]);
    expect(
      run(
        'Resources | summarize n = count(), big = countif(toint(properties.totalNodeCount) > 2) by e = tostring(tags.env) | order by e asc',
      ),
    ).toEqual([
      { e: '', n: 1, big: 1 },
      { e: 'dev', n: 1, big: 0 },
      { e: 'prod', n: 1, big: 1 },
    ]);
  });

  it('join kind=leftouter and inner, on a key or $left/$right, with the right columns suffixed', () => {
    const sub =
      "(KubernetesConfigurationResources | extend clusterId = tolower(tostring(split(id, '/providers/Microsoft.KubernetesConfiguration')[0])) | project clusterId, v = tostring(properties.Version))";
    const left = 'Resources | extend clusterId = tolower(id) | project name, clusterId';
    expect(run(`${left} | join kind=leftouter ${sub} on clusterId | order by name asc`)).toEqual([
      {
        name: 'Alpha',
        clusterId: String(resources[0]!.id).toLowerCase(),
        clusterId1: String(resources[0]!.id).toLowerCase(),
        v: '1.2.3',
      },
      { name: 'beta', clusterId: String(resources[1]!.id).toLowerCase(), clusterId1: '', v: '' },
      { name: 'gamma', clusterId: String(resources[2]!.id).toLowerCase(), clusterId1: '', v: '' },
    ]);
    expect(
      run(`${left} | join kind=inner ${sub} on $left.clusterId == $right.clusterId | project name, v`),
    ).toEqual([{ name: 'Alpha', v: '1.2.3' }]);
  });

  it('parse and mv-expand', () => {
    expect(
      run(
        "KubernetesConfigurationResources | parse tolower(id) with clusterId '/providers/microsoft.kubernetesconfiguration/extensions/' extName | project extName",
      ),
    ).toEqual([{ extName: 'osm' }]);
    expect(run("Resources | where name == 'beta' | mv-expand t = tags | project t")).toEqual([
      { t: { env: 'dev' } },
      { t: { team: 'web-api' } },
    ]);
  });

  it('rejects what it does not evaluate, naming it', () => {
    const error = (q: string): KqlError => {
      try {
        compileQuery(q);
      } catch (e) {
        if (e instanceof KqlError) return e;
      }
      throw new Error(`no KqlError for ${q}`);
    };
    expect(error('Resources | union Resources').message).toBe(
      "operator 'union' is not supported by the emulator",
    );
    expect(error('Resources | join kind=fullouter (Resources) on id').message).toBe(
      "operator 'join kind=fullouter' is not supported by the emulator",
    );
    expect(error('Resources | extend h = hash_sha256(name)').code).toBe('UnsupportedFunction');
    expect(error('let x = 1; Resources').kind).toBe('unsupported');
    expect(error('Resources | where').code).toBe('ParserFailure');
  });
});
