// One fleet subscription (deployed once per entry of fleetSubscriptionIds, at that subscription's scope):
// the app identity's two roles there, and the resource group holding the subscription's Event Grid system
// topic (a system topic must live in a resource group of the subscription whose events it carries).
targetScope = 'subscription'

param principalId string
param eventsResourceGroupName string
param systemTopicName string
param location string
param tags object

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

resource eventsGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: eventsResourceGroupName
  location: location
  tags: tags
}

module topic 'eventTopic.bicep' = {
  name: 'osm-fleet-topic'
  scope: eventsGroup
  params: {
    name: systemTopicName
    tags: tags
  }
}

output topicPrincipalId string = topic.outputs.principalId
