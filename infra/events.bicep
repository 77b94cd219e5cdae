// Phase 2 of the deployment (run by infra/hooks/postdeploy.sh after `azd deploy`, or by hand with
// `az deployment sub create`): one event subscription per fleet subscription, named after the environment,
// on the system topic phase 1 created there or reused, delivering connected-cluster writes and deletes to the onClusterEvent function.
// Bicep alone cannot do this in phase 1: an AzureFunction destination is validated against the function
// resource ({site}/functions/onClusterEvent), which appears only after the code package is deployed.
targetScope = 'subscription'

@minLength(36)
@description('Comma-separated fleet subscription GUIDs (the FLEET_SUBSCRIPTIONS output of phase 1).')
param fleetSubscriptionIds string
@description('FLEET_EVENTS_RESOURCE_GROUP output of phase 1.')
param eventsResourceGroupName string
@description('FLEET_EVENTS_TOPIC_NAME output of phase 1.')
param systemTopicName string
@description('FLEET_EXISTING_SYSTEM_TOPIC_IDS output of phase 1: the topics reused instead of created.')
param existingSystemTopicIds string = ''
@description('azd environment name: each environment has its own event subscription on a shared topic.')
param environmentName string
@description('AZURE_FUNCTION_APP_ID output of phase 1.')
param functionAppId string
@description('AZURE_STORAGE_ACCOUNT_ID output of phase 1.')
param deadLetterStorageAccountId string
@description('FLEET_DEAD_LETTER_CONTAINER output of phase 1.')
param deadLetterContainerName string
@description('The Event Grid-triggered function (shared/functionNames.ts EVENT_FUNCTION).')
param functionName string = 'onClusterEvent'

var fleetSubscriptions = union(filter(map(split(toLower(fleetSubscriptionIds), ','), s => trim(s)), s => !empty(s)), [])
var existingTopics = filter(map(split(existingSystemTopicIds, ','), t => trim(t)), t => !empty(t))
// Fleet subscription GUID (lower case) -> the reused topic (as in main.bicep); absent: the one phase 1 created.
var topicBySubscription = toObject(existingTopics, t => toLower(split(t, '/')[2]))

module clusterEvents 'modules/eventSubscription.bicep' = [
  for sub in fleetSubscriptions: {
    name: 'osm-fleet-events-${uniqueString(sub, functionAppId)}'
    scope: resourceGroup(sub, contains(topicBySubscription, sub) ? split(topicBySubscription[sub], '/')[4] : eventsResourceGroupName)
    params: {
      name: 'osm-fleet-${environmentName}-clusters'
      systemTopicName: contains(topicBySubscription, sub) ? last(split(topicBySubscription[sub], '/')) : systemTopicName
      functionAppId: functionAppId
      functionName: functionName
      deadLetterStorageAccountId: deadLetterStorageAccountId
      deadLetterContainerName: deadLetterContainerName
    }
  }
]
