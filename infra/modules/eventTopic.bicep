// The Event Grid system topic for Azure Resource Manager events of this resource group's subscription. Its
// system-assigned identity writes undeliverable events to the dead-letter container (deadLetterAccess.bicep).
// Event Grid allows one system topic per source (https://learn.microsoft.com/azure/event-grid/system-topics,
// MicrosoftDocs/azure-docs articles/event-grid/system-topics.md): created only when fleetSubscription.bicep
// is given no existing topic to reuse.
param name string
param tags object

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: 'global'
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

output principalId string = topic.identity.principalId
