/**
 * MonitorArm over ARM REST through @azure/core-client's ServiceClient pipeline (bearer token, the SDK's
 * 429/5xx retry honouring Retry-After, the emulator's CA locally). A thin typed client rather than
 * @azure/arm-monitor: its current release (8.0.0) speaks api-version 2024-03-11 for data collection rules,
 * and Microsoft's Container insights onboarding (and the emulator) use 2022-06-01. Workspaces are read with
 * Microsoft.OperationalInsights 2022-10-01. Bodies are mapped by dataCollectionBodies.ts; every failure goes
 * through classifyAzureError once, here.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ServiceClient } from '@azure/core-client';
import { createPipelineRequest, RestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import {
  DCR_API_VERSION,
  type DataCollectionRule,
  type DataCollectionRuleAssociation,
  type LogAnalyticsWorkspace,
} from '../domain/containerInsights.js';
import { NotFoundError } from '../domain/errors.js';
import type { MonitorArm } from '../domain/ports.js';
import { classifyAzureError } from './classifyAzureError.js';
import {
  associationFromArm,
  associationPath,
  ruleFromArm,
  ruleToArm,
  workspaceFromArm,
} from './dataCollectionBodies.js';

export const WORKSPACE_API_VERSION = '2022-10-01';

export interface ArmMonitorClientOptions {
  credential: TokenCredential;
  endpoint: string;
  caPem?: string;
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export class ArmMonitorClient implements MonitorArm {
  private readonly client: ServiceClient;
  private readonly endpoint: string;

  constructor(options: ArmMonitorClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.client = new ServiceClient({
      endpoint: this.endpoint,
      credential: options.credential,
      credentialScopes: `${new URL(this.endpoint).origin}/.default`,
      ...(options.caPem ? { tlsOptions: { ca: options.caPem } } : {}),
      ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
    });
  }

  async getWorkspace(workspaceId: string): Promise<LogAnalyticsWorkspace | undefined> {
    const body = await this.get(workspaceId, WORKSPACE_API_VERSION);
    return body === undefined ? undefined : workspaceFromArm(body, workspaceId);
  }

  async getDataCollectionRule(ruleId: string): Promise<DataCollectionRule | undefined> {
    const body = await this.get(ruleId, DCR_API_VERSION);
    return body === undefined ? undefined : ruleFromArm(body, ruleId);
  }

  async putDataCollectionRule(rule: DataCollectionRule): Promise<DataCollectionRule> {
    const body = await this.send('PUT', rule.id, DCR_API_VERSION, ruleToArm(rule));
    return ruleFromArm(body, rule.id);
  }

  async getAssociation(resourceId: string, name: string): Promise<DataCollectionRuleAssociation | undefined> {
    const path = associationPath(resourceId, name);
    const body = await this.get(path, DCR_API_VERSION);
    return body === undefined ? undefined : associationFromArm(body, path);
  }

  async putAssociation(
    resourceId: string,
    name: string,
    body: { dataCollectionRuleId: string; description: string },
  ): Promise<DataCollectionRuleAssociation> {
    const path = associationPath(resourceId, name);
    const answer = await this.send('PUT', path, DCR_API_VERSION, { properties: body });
    return associationFromArm(answer, path);
  }

  /** A GET; undefined on 404 (the resource, or its parent, does not exist). */
  private async get(path: string, apiVersion: string): Promise<unknown> {
    try {
      return await this.send('GET', path, apiVersion);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  private async send(
    method: 'GET' | 'PUT',
    path: string,
    apiVersion: string,
    body?: unknown,
  ): Promise<unknown> {
    const url = `${this.endpoint}${encodePath(path)}?api-version=${apiVersion}`;
    const request = createPipelineRequest({ url, method });
    request.headers.set('Accept', 'application/json');
    if (body !== undefined) {
      request.headers.set('Content-Type', 'application/json');
      request.body = JSON.stringify(body);
    }
    let response: PipelineResponse;
    try {
      response = await this.client.sendRequest(request);
    } catch (e) {
      throw classifyAzureError(e);
    }
    if (response.status >= 400) {
      const error = new RestError(`${method} ${path} answered ${response.status}`, {
        statusCode: response.status,
        request,
        response,
      });
      throw classifyAzureError(error);
    }
    return parse(response.bodyAsText);
  }
}

/** Each segment of an ARM ID percent-encoded (names may hold characters a URL path must not). */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function parse(text: string | null | undefined): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}
