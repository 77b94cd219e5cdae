// The user-assigned managed identity osm-fleet runs as: ARM and Resource Graph (AZURE_CLIENT_ID), host storage
// (AzureWebJobsStorage__clientId), the Flex deployment container and Application Insights ingestion.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
