/**
 * The Event Grid wiring against the code: the event subscription targets a function of the registration
 * table of kind eventGrid, and what it lets through (event types and the operation-name filter) is exactly
 * what shared/domain/clusterEvent.ts handles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registrations } from '../../functions/registrations.js';
import { DELETE_EVENT, WRITE_EVENT, parseClusterEvent } from '../../shared/domain/clusterEvent.js';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import { INFRA_DIR, params, property, readBicep, resources, stringLiterals } from './bicepText.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/c1`;

const module = readBicep('modules/eventSubscription.bicep');
const events = readBicep('events.bicep');
const subscription = resources(module).find(
  (r) => r.type === 'Microsoft.EventGrid/systemTopics/eventSubscriptions',
);
const body = subscription?.body ?? '';
const filter = property(body, 'filter') ?? '';
const eventTypes = stringLiterals(property(filter, 'includedEventTypes') ?? '');
const advanced = property(filter, 'advancedFilters') ?? '';
const operationNames = stringLiterals(property(advanced, 'values') ?? '');

/** What the handler makes of an event the subscription delivers. */
const parse = (eventType: string, operationName: string) =>
  parseClusterEvent(
    {
      id: 'e1',
      eventType,
      subject: CLUSTER,
      eventTime: '2025-01-01T00:00:00Z',
      data: { operationName, resourceUri: CLUSTER, subscriptionId: SUB },
    },
    [SUB],
  ).kind;

describe('Event Grid event subscription', () => {
  it('targets an eventGrid function of the registration table (EVENT_FUNCTION)', () => {
    const destination = property(body, 'destination') ?? '';
    expect(property(destination, 'endpointType')).toBe("'AzureFunction'");
    expect(property(destination, 'resourceId')).toBe("'${functionAppId}/functions/${functionName}'");
    const fn = params(events).find((p) => p.name === 'functionName');
    expect(fn?.value).toBe(`'${EVENT_FUNCTION}'`);
    expect(registrations.find((r) => r.name === EVENT_FUNCTION)?.kind).toBe('eventGrid');
    expect(events.code).toMatch(/functionName: functionName/);
  });

  it('the postdeploy hook waits for and passes the same function', () => {
    const hook = readFileSync(join(INFRA_DIR, 'hooks', 'postdeploy.sh'), 'utf8');
    expect(hook).toContain(`function_name=${EVENT_FUNCTION}\n`);
    expect(hook).toContain('functionName="$function_name"');
  });

  it('delivers exactly the event types the handler handles', () => {
    expect([...eventTypes].sort()).toEqual([DELETE_EVENT, WRITE_EVENT].sort());
  });

  it('filters on data.operationName (StringIn), and every value is one the handler acts on', () => {
    expect(property(advanced, 'operatorType')).toBe("'StringIn'");
    expect(property(advanced, 'key')).toBe("'data.operationName'");
    expect(operationNames.length).toBeGreaterThan(0);
    for (const op of operationNames)
      expect(
        eventTypes.map((t) => parse(t, op)).some((kind) => kind !== 'ignored'),
        op,
      ).toBe(true);
  });

  it('lets a cluster write and a cluster delete through', () => {
    const kinds = eventTypes.flatMap((t) => operationNames.map((op) => parse(t, op)));
    expect(kinds).toContain('write');
    expect(kinds).toContain('delete');
  });

  it('retries, then dead-letters to the blob container with the topic identity', () => {
    const retry = property(body, 'retryPolicy') ?? '';
    expect(property(retry, 'maxDeliveryAttempts')).toBe('maxDeliveryAttempts');
    expect(params(module).find((p) => p.name === 'maxDeliveryAttempts')?.value).toBe('30');
    expect(params(module).find((p) => p.name === 'eventTimeToLiveInMinutes')?.value).toBe('1440');
    const deadLetter = property(body, 'deadLetterWithResourceIdentity') ?? '';
    expect(deadLetter).toContain("type: 'SystemAssigned'");
    expect(property(deadLetter, 'endpointType')).toBe("'StorageBlob'");
    expect(property(deadLetter, 'blobContainerName')).toBe('deadLetterContainerName');
  });

  it('the system topic carries the subscription events, one per fleet subscription', () => {
    const topic = resources(readBicep('modules/eventTopic.bicep')).find(
      (r) => r.type === 'Microsoft.EventGrid/systemTopics',
    );
    expect(property(topic?.body ?? '', 'topicType')).toBe("'Microsoft.Resources.Subscriptions'");
    expect(property(topic?.body ?? '', 'location')).toBe("'global'");
    expect(property(topic?.body ?? '', 'source')).toBe('subscription().id');
    const main = readBicep('main.bicep');
    expect(main.code).toMatch(
      /module fleetAccess 'modules\/fleetSubscription\.bicep' = \[\s*for sub in fleetSubscriptions:/,
    );
    expect(main.code).toMatch(/scope: subscription\(sub\)/);
    expect(events.code).toMatch(
      /scope: resourceGroup\(\s*sub,\s*contains\(topicBySubscription, sub\) \? split\(topicBySubscription\[sub\], '\/'\)\[4\] : eventsResourceGroupName/,
    );
  });

  it('an existing ARM-events topic is reused (Event Grid allows one per subscription), else one is created', () => {
    const fleet = readBicep('modules/fleetSubscription.bicep');
    const byType = (t: string) => resources(fleet).filter((r) => r.type === t);
    const [reused] = byType('Microsoft.EventGrid/systemTopics');
    expect(reused?.existing).toBe(true);
    expect(reused?.head).toBe('if (!createTopic)');
    expect(byType('Microsoft.Resources/resourceGroups')[0]?.head).toBe('if (createTopic)');
    expect(fleet.code).toMatch(/module topic 'eventTopic\.bicep' = if \(createTopic\)/);
    expect(fleet.code).toMatch(/var createTopic = empty\(existingTopicId\)/);
    expect(fleet.raw).toContain('https://learn.microsoft.com/azure/event-grid/system-topics');
    // main.bicep hands each fleet subscription the existing topic of that subscription, if one was named
    const main = readBicep('main.bicep');
    expect(params(main).find((p) => p.name === 'existingSystemTopicIds')?.value).toBe("''");
    const byTopicSubscription =
      "var topicBySubscription = toObject(existingTopics, t => toLower(split(t, '/')[2]))";
    expect(main.code).toContain(byTopicSubscription);
    expect(main.code).toContain(
      "existingTopicId: contains(topicBySubscription, sub) ? topicBySubscription[sub] : ''",
    );
    // and events.bicep finds the same topic per subscription
    expect(events.code).toContain(byTopicSubscription);
  });

  it('the preprovision hook looks the existing topics up and hands them to main.bicep', () => {
    const hook = readFileSync(join(INFRA_DIR, 'hooks', 'preprovision.sh'), 'utf8');
    expect(hook).toContain('az eventgrid system-topic list --subscription "$sub"');
    expect(hook).toContain('tolower($2) == "microsoft.resources.subscriptions"');
    expect(hook).toContain('azd env set FLEET_EXISTING_SYSTEM_TOPIC_IDS');
    const parameters = readFileSync(join(INFRA_DIR, 'main.parameters.json'), 'utf8');
    expect(parameters).toContain(
      '"existingSystemTopicIds": { "value": "${FLEET_EXISTING_SYSTEM_TOPIC_IDS=}" }',
    );
    const azureYaml = readFileSync(join(INFRA_DIR, '..', 'azure.yaml'), 'utf8');
    expect(azureYaml).toMatch(
      /^ {2}preprovision:\n {4}posix:\n {6}shell: sh\n {6}run: \.\/infra\/hooks\/preprovision\.sh$/m,
    );
  });

  it('two environments over one fleet subscription get distinct event subscriptions on the shared topic', () => {
    expect(property(body, 'name')).toBe('name');
    const call = events.code.slice(events.code.indexOf('module clusterEvents'));
    expect(call).toContain("name: 'osm-fleet-${environmentName}-clusters'");
    expect(params(events).find((p) => p.name === 'environmentName')).toBeDefined();
    const hook = readFileSync(join(INFRA_DIR, 'hooks', 'postdeploy.sh'), 'utf8');
    expect(hook).toContain('environmentName="$AZURE_ENV_NAME"');
  });
});
