// Log Analytics (an existing workspace by ID, or a new one), workspace-based Application Insights with local
// (instrumentation-key) auth disabled, and the Container insights data collection rule for the workspace.
param location string
param tags object
param workspaceName string
param appInsightsName string
param dataCollectionRuleName string
@description('Existing workspace resource ID; empty creates a new workspace here.')
param existingWorkspaceId string
@description('Region of the workspace; the data collection rule is created in the same region.')
param workspaceLocation string
@description('Principal ID of the app identity; publishes telemetry to Application Insights.')
param principalId string

var roles = loadJsonContent('../roles.json')
var createWorkspace = empty(existingWorkspaceId)

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = if (createWorkspace) {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
    features: { disableLocalAuth: true }
  }
}

var workspaceId = createWorkspace ? workspace.id : existingWorkspaceId

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspaceId
    DisableLocalAuth: true
  }
}

// Monitoring Metrics Publisher: with local auth disabled, the Functions host sends telemetry with the app
// identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING), which needs this role on the component.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher.id)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher.id
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Container insights with managed-identity auth (the app sends amalogs.useAADAuth "true") sends nothing until
// each cluster is associated with a data collection rule like this one. osm-fleet's ARM PUT installs the
// extension only; the association per cluster (dataCollectionRuleAssociations, name
// ContainerInsightsExtension) is not made by the app. See docs/deploy.md, "Azure Monitor onboarding".
resource containerInsights 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {
  name: dataCollectionRuleName
  location: workspaceLocation
  tags: tags
  kind: 'Linux'
  properties: {
    dataSources: {
      extensions: [
        {
          name: 'ContainerInsightsExtension'
          extensionName: 'ContainerInsights'
          streams: ['Microsoft-ContainerInsights-Group-Default']
          extensionSettings: {
            dataCollectionSettings: {
              interval: '1m'
              namespaceFilteringMode: 'Off'
              enableContainerLogV2: true
            }
          }
        }
      ]
    }
    destinations: {
      logAnalytics: [{ name: 'fleetWorkspace', workspaceResourceId: workspaceId }]
    }
    dataFlows: [{ streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: ['fleetWorkspace'] }]
  }
}

output workspaceId string = workspaceId
output appInsightsConnectionString string = appInsights.properties.ConnectionString
output dataCollectionRuleId string = containerInsights.id
