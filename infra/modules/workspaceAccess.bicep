// The app identity's access to an existing Log Analytics workspace (deployed at the workspace's resource
// group): the custom Container insights onboarding role (containerInsightsRole.bicep), for the data
// collection rules that name the workspace as their destination.
param workspaceName string
param principalId string
param containerInsightsRoleName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// osm-fleet Container insights onboarding (custom role): workspaces/read on this workspace.
resource containerInsights 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, principalId, containerInsightsRoleName)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', containerInsightsRoleName)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
