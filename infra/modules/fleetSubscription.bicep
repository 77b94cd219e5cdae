// One fleet subscription (deployed once per entry of fleetSubscriptionIds, at that subscription's scope):
// the app identity's roles there, and the subscription's Event Grid system topic for ARM events. Event Grid
// allows one system topic per source ("Only one Azure Event Grid system topic is allowed per source (like
// subscription, resource group, etc.)": https://learn.microsoft.com/azure/event-grid/system-topics), so an
// existing Microsoft.Resources.Subscriptions topic (another app's, or another azd environment's) is reused,
// and a new one (in a resource group of this subscription) is created only when none is named.
targetScope = 'subscription'

param principalId string
param eventsResourceGroupName string
param systemTopicName string
param location string
param tags object
@description('Resource ID of this subscription\'s existing ARM-events system topic; empty creates one.')
param existingTopicId string = ''
@description('GUID of the custom Container insights onboarding role (containerInsightsRole.bicep).')
param containerInsightsRoleName string

var roles = loadJsonContent('../roles.json')

// Reader: Resource Graph sweeps (ARG returns only what the caller can read) and GETs of connectedClusters.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roles.reader.id)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.reader.id)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Kubernetes Extension Contributor: create, update, get, list and delete cluster extensions (OSM and Azure
// Monitor) and read their async operations. Nothing else on the clusters.
resource extensionContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roles.kubernetesExtensionContributor.id)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.kubernetesExtensionContributor.id
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// osm-fleet Container insights onboarding (custom role): data collection rules in the clusters' resource
// groups and the ContainerInsightsExtension association on each cluster, and workspace reads.
resource containerInsights 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, containerInsightsRoleName)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', containerInsightsRoleName)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

var createTopic = empty(existingTopicId)
// Valid in both cases, so the parts below never index an empty ID.
var topicParts = split(createTopic ? '/subscriptions/x/resourceGroups/${eventsResourceGroupName}/x/x/x/${systemTopicName}' : existingTopicId, '/')

resource eventsGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = if (createTopic) {
  name: eventsResourceGroupName
  location: location
  tags: tags
}

module topic 'eventTopic.bicep' = if (createTopic) {
  name: 'osm-fleet-topic'
  scope: eventsGroup
  params: {
    name: systemTopicName
    tags: tags
  }
}

// The reused topic needs a system-assigned identity for dead-lettering (docs/deploy.md, "ARM-events topic").
resource reused 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = if (!createTopic) {
  name: topicParts[8]
  scope: resourceGroup(topicParts[4])
}

output topicPrincipalId string = createTopic ? topic.outputs.principalId : reused.identity.principalId
