// Phase 2 of the deployment (run by infra/hooks/postdeploy.sh after `azd deploy`, or by hand with
// `az deployment sub create`): one event subscription per fleet subscription, on the system topic phase 1
// created there, delivering connected-cluster writes and deletes to the onClusterEvent function.
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
@description('AZURE_FUNCTION_APP_ID output of phase 1.')
param functionAppId string
@description('AZURE_STORAGE_ACCOUNT_ID output of phase 1.')
param deadLetterStorageAccountId string
@description('FLEET_DEAD_LETTER_CONTAINER output of phase 1.')
param deadLetterContainerName string
@description('The Event Grid-triggered function (shared/functionNames.ts EVENT_FUNCTION).')
param functionName string = 'onClusterEvent'

var fleetSubscriptions = union(filter(map(split(toLower(fleetSubscriptionIds), ','), s => trim(s)), s => !empty(s)), [])

module clusterEvents 'modules/eventSubscription.bicep' = [
  for sub in fleetSubscriptions: {
    name: 'osm-fleet-events-${uniqueString(sub, functionAppId)}'
    scope: resourceGroup(sub, eventsResourceGroupName)
    params: {
      systemTopicName: systemTopicName
      functionAppId: functionAppId
      functionName: functionName
      deadLetterStorageAccountId: deadLetterStorageAccountId
      deadLetterContainerName: deadLetterContainerName
    }
  }
]
