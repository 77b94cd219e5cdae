// Log Analytics (an existing workspace by ID, or a new one) and workspace-based Application Insights with local
// (instrumentation-key) auth disabled. The workspace's region and customer ID become app settings: Container
// insights onboarding needs them for its data collection rules (made by the app per cluster, named as
// Microsoft's onboarding names them; see docs/operations.md) and then reads no workspace for the default one.
param location string
param tags object
param workspaceName string
param appInsightsName string
@description('Existing workspace resource ID; empty creates a new workspace here.')
param existingWorkspaceId string
@description('Principal ID of the app identity; publishes telemetry to Application Insights.')
param principalId string
@description('GUID of the custom Container insights onboarding role (containerInsightsRole.bicep).')
param containerInsightsRoleName string

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
// Valid in both cases, so the parts below never index an empty ID.
var workspaceParts = split(
  createWorkspace ? '/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}/x/x/x/${workspaceName}' : existingWorkspaceId,
  '/'
)

resource existingWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = if (!createWorkspace) {
  name: workspaceParts[8]
  scope: resourceGroup(workspaceParts[2], workspaceParts[4])
}

// osm-fleet Container insights onboarding (custom role): workspaces/read on the workspace its rules name.
resource workspaceAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (createWorkspace) {
  name: guid(workspace.id, principalId, containerInsightsRoleName)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', containerInsightsRoleName)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

module existingWorkspaceAccess 'workspaceAccess.bicep' = if (!createWorkspace) {
  name: 'osm-fleet-workspace-access'
  scope: resourceGroup(workspaceParts[2], workspaceParts[4])
  params: {
    workspaceName: workspaceParts[8]
    principalId: principalId
    containerInsightsRoleName: containerInsightsRoleName
  }
}

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

output workspaceId string = workspaceId
output appInsightsConnectionString string = appInsights.properties.ConnectionString
output workspaceLocation string = createWorkspace ? workspace.location : existingWorkspace.location
output workspaceCustomerId string = createWorkspace
  ? workspace.properties.customerId
  : existingWorkspace.properties.customerId
