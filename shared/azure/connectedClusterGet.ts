/**
 * GET of a Microsoft.Kubernetes/connectedClusters resource through an existing SDK client's pipeline
 * (same credential, endpoint, TLS options, retry policy), as an OperationSpec for
 * ServiceClient.sendOperationRequest. Errors come back as RestError like any SDK call.
 */
import { createSerializer, type OperationArguments, type OperationSpec } from '@azure/core-client';

/** The part of a ServiceClient used here (any generated ARM client is one). */
export interface OperationSender {
  sendOperationRequest(args: OperationArguments, spec: OperationSpec): Promise<unknown>;
}

export const CONNECTED_CLUSTERS_API_VERSION = '2024-01-01';

const serializer = createSerializer({}, false);
const text = (name: string) => ({ serializedName: name, required: true, type: { name: 'String' as const } });

const getClusterSpec: OperationSpec = {
  path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Kubernetes/connectedClusters/{clusterName}',
  httpMethod: 'GET',
  responses: { 200: {}, default: {} },
  queryParameters: [
    {
      parameterPath: 'apiVersion',
      mapper: {
        serializedName: 'api-version',
        defaultValue: CONNECTED_CLUSTERS_API_VERSION,
        isConstant: true,
        type: { name: 'String' },
      },
    },
  ],
  urlParameters: [
    { parameterPath: 'subscriptionId', mapper: text('subscriptionId') },
    { parameterPath: 'resourceGroupName', mapper: text('resourceGroupName') },
    { parameterPath: 'clusterName', mapper: text('clusterName') },
  ],
  headerParameters: [
    {
      parameterPath: 'accept',
      mapper: {
        serializedName: 'Accept',
        defaultValue: 'application/json',
        isConstant: true,
        type: { name: 'String' },
      },
    },
  ],
  serializer,
};

/** The connected cluster's JSON body (`id`, `name`, `location`, `tags`, `properties`, ...). */
export async function getConnectedCluster(
  client: OperationSender,
  ref: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<unknown> {
  let body: unknown;
  await client.sendOperationRequest(
    {
      subscriptionId: ref.subscriptionId,
      resourceGroupName: ref.resourceGroup,
      clusterName: ref.name,
      options: { onResponse: (raw) => void (body = raw.parsedBody) },
    },
    getClusterSpec,
  );
  return body;
}
