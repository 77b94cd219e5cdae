// The vault holding protected setting values (docs/security.md, item 3): one vault for osm-fleet alone,
// RBAC authorization (no access policies), soft delete with purge protection (a deleted policy's secret
// stays recoverable for the retention period and nobody can purge it early), no public network ACL change
// (the Functions app reaches it over its public endpoint with Entra ID tokens). The app identity gets
// Key Vault Secrets Officer on this vault only: it sets, reads and deletes its own secrets, and the vault
// holds nothing else.
param name string
param location string
param tags object
@description('Principal ID of the app identity; gets secret data permissions on this vault only.')
param principalId string

var roles = loadJsonContent('../roles.json')

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Key Vault Secrets Officer: set (a new version per change), get (by version, before each PUT) and delete
// (with its policy) secrets; the narrowest built-in role with setSecret and delete (Key Vault Secrets User
// reads only). Scoped to this vault.
resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer.id)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
