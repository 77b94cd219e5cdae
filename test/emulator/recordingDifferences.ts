// The differences between the vendored recordings and the emulator's answers, each with the id of its row
// in docs/emulator.md ("Recording differences"), where the reason is given. Generated from a run of
// recordedTraffic.test.ts and reviewed line by line.
export const RECORDING_DIFFERENCES: Record<string, { id: string }> = {
  'k8s-extension/test_k8s_extension.yaml: GET extension list: header x-ms-ratelimit-remaining-subscription-reads extra':
    { id: 'RD4' },
  'k8s-extension/test_k8s_extension.yaml: GET extension: body properties.currentVersion:null extra': {
    id: 'RD2',
  },
  'k8s-extension/test_k8s_extension.yaml: GET extension: body properties.currentVersion:string missing': {
    id: 'RD2',
  },
  'k8s-extension/test_k8s_extension.yaml: GET extension: header x-ms-ratelimit-remaining-subscription-reads extra':
    { id: 'RD4' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body authorizations[].applicationId:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body authorizations[].roleDefinitionId:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body error.code:string extra':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body error.message:string extra':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body id:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body namespace:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body registrationPolicy:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body registrationState:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body resourceTypes[].apiVersions[]:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body resourceTypes[].capabilities:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body resourceTypes[].defaultApiVersion:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body resourceTypes[].locations[]:empty missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body resourceTypes[].locations[]:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: body resourceTypes[].resourceType:string missing':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: status 200, emulator 404':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: GET provider microsoft.kubernetesconfiguration: value id "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.KubernetesConfiguration" vs undefined':
    { id: 'RD1' },
  'k8s-extension/test_k8s_extension.yaml: PUT extension: header retry-after extra': { id: 'RD3' },
  'monitor-control-service/test_amcs_data_collection_rule.yaml: GET rule list: header x-ms-ratelimit-remaining-subscription-reads extra':
    { id: 'RD4' },
  'monitor-control-service/test_amcs_data_collection_rule.yaml: GET rule: header x-ms-ratelimit-remaining-subscription-reads extra':
    { id: 'RD4' },
  'monitor-control-service/test_amcs_data_collection_rule.yaml: api-version 2021-09-01-preview replayed as 2022-06-01':
    { id: 'RD5' },
  'resource-graph/test_paged_query.yaml: POST graph query: body data.columns[].name:string missing': {
    id: 'RD6',
  },
  'resource-graph/test_paged_query.yaml: POST graph query: body data.columns[].type:string missing': {
    id: 'RD6',
  },
  'resource-graph/test_paged_query.yaml: POST graph query: body data[].id:string extra': { id: 'RD6' },
  'resource-graph/test_paged_query.yaml: POST graph query: header x-ms-ratelimit-remaining-tenant-resource-requests extra':
    { id: 'RD6' },
  'resource-graph/test_paged_query.yaml: POST graph query: header x-ms-ratelimit-remaining-tenant-writes missing':
    { id: 'RD6' },
  'resource-graph/test_paged_query.yaml: POST graph query: header x-ms-user-quota-remaining extra': {
    id: 'RD6',
  },
  'resource-graph/test_paged_query.yaml: POST graph query: header x-ms-user-quota-resets-after extra': {
    id: 'RD6',
  },
  'resource-graph/test_paged_query.yaml: api-version 2018-09-01-preview replayed as 2021-03-01': {
    id: 'RD6',
  },
  'resource-graph/test_query_error.yaml: POST graph query: body error.details[].expectedToken:string missing':
    { id: 'RD7' },
};
