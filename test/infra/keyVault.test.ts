/**
 * The vault of protected setting values (infra/modules/keyVault.bicep, docs/security.md item 3): RBAC
 * authorization, soft delete with purge protection, wired into main.bicep with its URI as the app's
 * KEY_VAULT_URL; its only role assignment (checked in roles.test.ts) is Key Vault Secrets Officer on the vault.
 */
import { describe, expect, it } from 'vitest';
import { property, readBicep, resources } from './bicepText.js';

const vaultFile = readBicep('modules/keyVault.bicep');
const main = readBicep('main.bicep');
const functionApp = readBicep('modules/functionApp.bicep');

describe('key vault', () => {
  it('uses RBAC authorization, soft delete and purge protection', () => {
    const vault = resources(vaultFile).find((r) => r.type === 'Microsoft.KeyVault/vaults');
    expect(vault).toBeDefined();
    const props = property(vault!.body, 'properties') ?? '';
    expect(property(props, 'enableRbacAuthorization')).toBe('true');
    expect(property(props, 'enableSoftDelete')).toBe('true');
    expect(property(props, 'enablePurgeProtection')).toBe('true');
    expect(property(props, 'accessPolicies')).toBeUndefined();
  });

  it('the role assignment is scoped to the vault', () => {
    const assignment = resources(vaultFile).find((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(property(assignment!.body, 'scope')).toBe('vault');
  });

  it("main.bicep passes the vault's URI to the app as KEY_VAULT_URL", () => {
    expect(main.code).toMatch(/keyVaultUri: keyVault\.outputs\.uri/);
    expect(functionApp.code).toMatch(/KEY_VAULT_URL: keyVaultUri/);
  });
});
