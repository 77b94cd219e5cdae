/**
 * Role assignments: built-in role IDs as documented, least privilege (exactly these roles, per module), no
 * Contributor or Owner, a `guid(scope, principal, role)` name and the role's name in a comment on each; the
 * one custom role (Container insights onboarding) holds exactly the actions its calls need.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BicepFile } from './bicepText.js';
import {
  INFRA_DIR,
  allBicepFiles,
  leadingComment,
  property,
  resources,
  stringLiterals,
  varValue,
} from './bicepText.js';

/**
 * Built-in roles, name -> role definition ID: the table of vendor/reference/azure.md section H
 * ("Built-in roles"), copied here as the source of truth.
 */
const DOCUMENTED_ROLES: Record<string, string> = {
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Kubernetes Extension Contributor': '85cb6faf-e071-4c9b-8136-154b5a04f717',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Monitoring Contributor': '749f88d5-cbae-40b8-bcfc-e573ddc772fa',
  'Log Analytics Contributor': '92aaf0da-9dab-42b6-94a3-d43ce8d16293',
  'Monitoring Reader': '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
  'EventGrid EventSubscription Contributor': '428e0ff0-5e57-4d9c-a221-2c70d0e0a443',
  'Kubernetes Cluster - Azure Arc Onboarding': '34e09817-6cbe-4d01-b1a2-e0eac5743d41',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  // Not in section H: Azure built-in roles documentation (Monitor), needed for App Insights with local auth
  // disabled. Verify against `az role definition list --name "Monitoring Metrics Publisher"`.
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  // Not in section H: Azure built-in roles documentation (Security), "Key Vault Secrets Officer"; verify
  // with `az role definition list --name "Key Vault Secrets Officer"`.
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
};
/** Broad roles never assigned: Contributor and Owner (built-in IDs), and User Access Administrator. */
const FORBIDDEN_IDS = [
  'b24988ac-6180-42a0-ab88-20f7382dd24c',
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
];

/**
 * The custom role (infra/modules/containerInsightsRole.bicep), assigned through the parameter
 * `containerInsightsRoleName`: what shared/azure/armMonitorClient.ts calls (GET/PUT of data collection rules
 * and of their associations, GET of a workspace), and nothing else.
 */
const CUSTOM = 'containerInsights';
const CUSTOM_ROLE_NAME = 'osm-fleet Container insights onboarding';
const CUSTOM_ACTIONS = [
  'Microsoft.Insights/dataCollectionRules/read',
  'Microsoft.Insights/dataCollectionRules/write',
  'Microsoft.Insights/dataCollectionRuleAssociations/read',
  'Microsoft.Insights/dataCollectionRuleAssociations/write',
  'Microsoft.OperationalInsights/workspaces/read',
];

/** Least privilege: the roles each template may assign (keys of infra/roles.json, or the custom role). */
const EXPECTED_ASSIGNMENTS: Record<string, string[]> = {
  'modules/fleetSubscription.bicep': ['reader', 'kubernetesExtensionContributor', CUSTOM],
  'modules/storage.bicep': [
    'storageBlobDataOwner',
    'storageQueueDataContributor',
    'storageTableDataContributor',
  ],
  'modules/monitoring.bicep': [CUSTOM, 'monitoringMetricsPublisher'],
  'modules/deadLetterAccess.bicep': ['storageBlobDataContributor'],
  'modules/workspaceAccess.bicep': [CUSTOM],
  'modules/keyVault.bicep': ['keyVaultSecretsOfficer'],
};

const roles = JSON.parse(readFileSync(join(INFRA_DIR, 'roles.json'), 'utf8')) as Record<
  string,
  { name: string; id: string }
>;
const files = allBicepFiles();
const assignments = files.flatMap((file) =>
  resources(file)
    .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
    .map((r) => ({
      file,
      r,
      role: roleOf(property(r.body, 'roleDefinitionId') ?? ''),
    })),
);
const where = (file: BicepFile, symbol: string) => `${file.path} ${symbol}`;

function roleOf(roleDefinitionId: string): string | undefined {
  if (
    roleDefinitionId ===
    "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', containerInsightsRoleName)"
  )
    return CUSTOM;
  return /roles\.(\w+)\.id/.exec(roleDefinitionId)?.[1];
}

describe('role assignments', () => {
  it('infra/roles.json holds the documented built-in IDs', () => {
    expect(Object.keys(roles).length).toBeGreaterThan(0);
    for (const [key, role] of Object.entries(roles)) expect(role.id, key).toBe(DOCUMENTED_ROLES[role.name]);
  });

  it('no Contributor or Owner anywhere (roles.json or a template)', () => {
    const names = Object.values(roles).map((r) => r.name);
    expect(names).not.toContain('Contributor');
    expect(names).not.toContain('Owner');
    const texts = [readFileSync(join(INFRA_DIR, 'roles.json'), 'utf8'), ...files.map((f) => f.code)];
    for (const id of FORBIDDEN_IDS) for (const text of texts) expect(text).not.toContain(id);
  });

  it('templates take role IDs from roles.json only (no GUID literal in a template)', () => {
    const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    for (const f of files) expect(f.code, f.path).not.toMatch(guid);
  });

  it('each template assigns exactly its roles, at least one assignment each', () => {
    const actual: Record<string, string[]> = {};
    for (const a of assignments) (actual[a.file.path] ??= []).push(a.role ?? '?');
    expect(actual).toEqual(EXPECTED_ASSIGNMENTS);
  });

  it('each assignment is named guid(scope, principal, the same role) and targets a service principal', () => {
    expect(assignments.length).toBeGreaterThanOrEqual(7);
    for (const { file, r, role } of assignments) {
      const name = property(r.body, 'name') ?? '';
      const roleArg = role === CUSTOM ? 'containerInsightsRoleName' : `roles\\.${role}\\.id`;
      expect(name, where(file, r.symbol)).toMatch(
        new RegExp(`^guid\\([\\w.()]+, principalId, ${roleArg}\\)$`),
      );
      expect(property(r.body, 'principalId'), where(file, r.symbol)).toBe('principalId');
      expect(property(r.body, 'principalType'), where(file, r.symbol)).toBe("'ServicePrincipal'");
    }
  });

  it("each assignment's comment names its role", () => {
    for (const { file, r, role } of assignments) {
      const roleName = role === CUSTOM ? CUSTOM_ROLE_NAME : (roles[role ?? '']?.name ?? '(unknown role)');
      expect(leadingComment(file, r.index), where(file, r.symbol)).toContain(roleName);
    }
  });
});

describe('the custom Container insights onboarding role', () => {
  const file = files.find((f) => f.path === 'modules/containerInsightsRole.bicep')!;
  const definition = resources(file).find((r) => r.type === 'Microsoft.Authorization/roleDefinitions');

  it('grants exactly the actions the monitor adapter calls, no wildcard, no data or key actions', () => {
    expect(definition).toBeDefined();
    const actions = stringLiterals(varValue(file, 'actions'));
    expect([...actions].sort()).toEqual([...CUSTOM_ACTIONS].sort());
    for (const a of actions) expect(a).not.toMatch(/\*|sharedKeys|Microsoft\.Authorization/i);
    const properties = property(definition!.body, 'properties') ?? '';
    expect(property(properties, 'permissions')).toMatch(/actions: actions, notActions: \[\]/);
    expect(properties).not.toMatch(/dataActions/);
    expect(property(properties, 'type')).toBe("'CustomRole'");
  });

  it('is named per environment (role names are unique in a tenant) and assignable where it is assigned', () => {
    const properties = property(definition!.body, 'properties') ?? '';
    expect(property(properties, 'roleName')).toBe(`'${CUSTOM_ROLE_NAME} (\${environmentName})'`);
    expect(property(definition!.body, 'name')).toMatch(
      /^guid\(subscription\(\)\.id, '[\w-]+', environmentName\)$/,
    );
    const main = files.find((f) => f.path === 'main.bicep')!;
    expect(main.code).toMatch(
      /assignableSubscriptionIds: union\(fleetSubscriptions, workspaceSubscriptions\)/,
    );
  });
});
