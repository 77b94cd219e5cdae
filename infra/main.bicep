// osm-fleet on Azure (phase 1, `azd provision`): the app's resource group, identity, storage, monitoring and
// Flex Consumption function app, the custom Container insights onboarding role, plus per fleet subscription
// the identity's roles and an Event Grid system topic (an existing one reused). The event subscriptions (phase 2, infra/events.bicep) are created by infra/hooks/postdeploy.sh once
// the code, and so the onClusterEvent function, exists. See docs/deploy.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(20)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Region of the app resources.')
param location string

@minLength(36)
@description('Comma-separated GUIDs of the subscriptions whose Arc clusters osm-fleet manages.')
param fleetSubscriptionIds string

@description('Resource ID of an existing Log Analytics workspace; empty creates one.')
param logAnalyticsWorkspaceId string = ''

@description('Comma-separated resource IDs of existing Microsoft.Resources.Subscriptions system topics, at most one per fleet subscription, to reuse (Event Grid allows one per subscription); a fleet subscription without one gets a new topic. docs/deploy.md shows the lookup.')
param existingSystemTopicIds string = ''

@minValue(40)
@maxValue(1000)
@description('Flex Consumption scale-out limit.')
param maximumInstanceCount int = 100

@minValue(1)
@maxValue(10080)
param operationDeadlineMinutes int = 30

@minValue(1)
@maxValue(3600)
param checkDelaySeconds int = 15

@description('How long a cluster written while not yet Connected is watched for its connection (docs/operations.md).')
@minValue(1)
@maxValue(10080)
param connectWatchMinutes int = 1440

// Trimmed, lower-cased, de-duplicated (union), like the app's own parsing of FLEET_SUBSCRIPTIONS.
var fleetSubscriptions = union(filter(map(split(toLower(fleetSubscriptionIds), ','), s => trim(s)), s => !empty(s)), [])
var existingTopics = filter(map(split(existingSystemTopicIds, ','), t => trim(t)), t => !empty(t))
// Fleet subscription GUID (lower case) -> the existing topic named for it.
var topicBySubscription = toObject(existingTopics, t => toLower(split(t, '/')[2]))
// A workspace outside the app's subscription needs the custom role assignable there too.
var workspaceSubscriptions = empty(logAnalyticsWorkspaceId) ? [] : [toLower(split(logAnalyticsWorkspaceId, '/')[2])]
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName, application: 'osm-fleet' }
var eventsResourceGroupName = 'rg-osm-fleet-events-${environmentName}'
var systemTopicName = 'osm-fleet-${environmentName}-arm-events'
var deploymentContainerName = 'app-package'
var deadLetterContainerName = 'eventgrid-deadletter'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-osm-fleet-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: { name: 'id-osm-fleet-${resourceToken}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stfleet${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
  }
}

module containerInsightsRole 'modules/containerInsightsRole.bicep' = {
  name: 'osm-fleet-${environmentName}-container-insights-role'
  params: {
    environmentName: environmentName
    assignableSubscriptionIds: union(fleetSubscriptions, workspaceSubscriptions)
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    workspaceName: 'log-osm-fleet-${resourceToken}'
    appInsightsName: 'appi-osm-fleet-${resourceToken}'
    existingWorkspaceId: logAnalyticsWorkspaceId
    principalId: identity.outputs.principalId
    containerInsightsRoleName: containerInsightsRole.outputs.name
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  scope: rg
  params: {
    name: 'kv-fleet-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    location: location
    tags: tags
    planName: 'plan-osm-fleet-${resourceToken}'
    appName: 'func-osm-fleet-${resourceToken}'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    fleetSubscriptions: join(fleetSubscriptions, ',')
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    logAnalyticsWorkspaceLocation: monitoring.outputs.workspaceLocation
    logAnalyticsWorkspaceCustomerId: monitoring.outputs.workspaceCustomerId
    keyVaultUri: keyVault.outputs.uri
    maximumInstanceCount: maximumInstanceCount
    operationDeadlineMinutes: operationDeadlineMinutes
    checkDelaySeconds: checkDelaySeconds
    connectWatchMinutes: connectWatchMinutes
  }
}

module fleetAccess 'modules/fleetSubscription.bicep' = [
  for sub in fleetSubscriptions: {
    name: 'osm-fleet-${environmentName}-${uniqueString(sub)}'
    scope: subscription(sub)
    params: {
      principalId: identity.outputs.principalId
      eventsResourceGroupName: eventsResourceGroupName
      systemTopicName: systemTopicName
      existingTopicId: contains(topicBySubscription, sub) ? topicBySubscription[sub] : ''
      location: location
      tags: tags
      containerInsightsRoleName: containerInsightsRole.outputs.name
    }
  }
]

module deadLetterAccess 'modules/deadLetterAccess.bicep' = {
  name: 'deadLetterAccess'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    containerName: deadLetterContainerName
    principalIds: [for (sub, i) in fleetSubscriptions: fleetAccess[i].outputs.topicPrincipalId]
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_ID string = functionApp.outputs.id
output FLEET_API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_ACCOUNT_ID string = storage.outputs.id
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_URL string = keyVault.outputs.uri
output FLEET_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output FLEET_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output FLEET_SUBSCRIPTIONS string = join(fleetSubscriptions, ',')
output FLEET_EVENTS_RESOURCE_GROUP string = eventsResourceGroupName
output FLEET_EVENTS_TOPIC_NAME string = systemTopicName
output FLEET_EXISTING_SYSTEM_TOPIC_IDS string = join(existingTopics, ',')
output FLEET_DEAD_LETTER_CONTAINER string = deadLetterContainerName
output FLEET_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceId
output FLEET_CONTAINER_INSIGHTS_ROLE_NAME string = containerInsightsRole.outputs.name
