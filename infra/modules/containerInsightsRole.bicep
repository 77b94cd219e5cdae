// The custom role osm-fleet's identity needs for Container insights onboarding (shared/services/
// ensureDataCollection.ts): read and write data collection rules (MSCI-{region}-{cluster}, in the cluster's
// resource group) and their associations on connected clusters, and read workspaces (a policy's workspace:
// region and customer ID). Narrower than the built-in Monitoring Contributor, which also grants alert,
// diagnostic-setting and workspace-key actions osm-fleet never uses. One definition per azd environment
// (a role name is unique in the tenant), assignable in the app's, the fleet's and the workspace's subscriptions.
targetScope = 'subscription'

param environmentName string
@description('Subscription GUIDs where the role may be assigned.')
param assignableSubscriptionIds array

var actions = [
  'Microsoft.Insights/dataCollectionRules/read'
  'Microsoft.Insights/dataCollectionRules/write'
  'Microsoft.Insights/dataCollectionRuleAssociations/read'
  'Microsoft.Insights/dataCollectionRuleAssociations/write'
  'Microsoft.OperationalInsights/workspaces/read'
]

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'osm-fleet-container-insights', environmentName)
  properties: {
    roleName: 'osm-fleet Container insights onboarding (${environmentName})'
    description: 'Data collection rules and associations for Container insights on Arc clusters, and workspace reads.'
    type: 'CustomRole'
    permissions: [{ actions: actions, notActions: [] }]
    assignableScopes: [for s in union([toLower(subscription().subscriptionId)], assignableSubscriptionIds): '/subscriptions/${s}']
  }
}

@description('The role definition GUID (its name); assignments build the ID in their own subscription.')
output name string = role.name
