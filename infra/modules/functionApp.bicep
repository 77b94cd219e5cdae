// Flex Consumption (FC1) plan and the osm-fleet function app on Node 22. Every app setting below is one that
// shared/config.ts reads, or one the Functions platform reads (test/infra/appSettings.test.ts checks both).
param location string
param tags object
param planName string
param appName string
param identityId string
param identityClientId string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
@description('Comma-separated fleet subscription GUIDs.')
param fleetSubscriptions string
param logAnalyticsWorkspaceId string
@description('Region and customer ID of that workspace (Container insights data collection rules).')
param logAnalyticsWorkspaceLocation string
param logAnalyticsWorkspaceCustomerId string
@description('URI of the vault holding protected setting values (modules/keyVault.bicep).')
param keyVaultUri string
param maximumInstanceCount int
param operationDeadlineMinutes int
param checkDelaySeconds int
param connectWatchMinutes int

var appSettings = {
  // Platform: identity-based host storage (blob for leases, queue for triggers, table for the scale
  // controller's view); the app's own table and queue clients read __tableServiceUri/__queueServiceUri too.
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // Platform: Application Insights with Entra ID auth (local auth is disabled on the component).
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // osm-fleet (docs/configuration.md).
  FLEET_SUBSCRIPTIONS: fleetSubscriptions
  AZURE_CLIENT_ID: identityClientId
  FLEET_LOG_ANALYTICS_WORKSPACE_ID: logAnalyticsWorkspaceId
  FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION: logAnalyticsWorkspaceLocation
  FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID: logAnalyticsWorkspaceCustomerId
  KEY_VAULT_URL: keyVaultUri
  FLEET_OPERATION_DEADLINE_MINUTES: string(operationDeadlineMinutes)
  FLEET_CHECK_DELAY_SECONDS: string(checkDelaySeconds)
  FLEET_CONNECT_WATCH_MINUTES: string(connectWatchMinutes)
  // Keep in step with host.json extensions.queues.maxDequeueCount.
  FLEET_MAX_DEQUEUE_COUNT: '5'
  // How old a Resource Graph sweep may be to serve a plan (docs/security.md, item 6).
  FLEET_PLAN_SWEEP_MAX_AGE_SECONDS: '60'
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: { name: 'node', version: '22' }
    }
  }
}

// No publishing passwords: azd deploys with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
