// The Event Grid system topic for Azure Resource Manager events of this resource group's subscription. Its
// system-assigned identity writes undeliverable events to the dead-letter container (deadLetterAccess.bicep).
// An Azure subscription can have only one Microsoft.Resources.Subscriptions system topic.
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
