// Lets each fleet subscription's system topic write dead letters into the one dead-letter container of the
// app's storage account, and nowhere else.
param storageAccountName string
param containerName string
@description('Principal IDs of the system topics (one per fleet subscription).')
param principalIds array

var roles = loadJsonContent('../roles.json')

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: containerName
}

// Storage Blob Data Contributor, on the dead-letter container only.
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in principalIds: {
    name: guid(container.id, principalId, roles.storageBlobDataContributor.id)
    scope: container
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roles.storageBlobDataContributor.id
      )
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]
