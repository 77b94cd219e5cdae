#!/bin/sh
# Phase 2 of the deployment (azure.yaml `postdeploy`): once `azd deploy` has uploaded the code, wait until
# the host has indexed the onClusterEvent function, then create the Event Grid event subscriptions on each
# fleet subscription's system topic (infra/events.bicep). Idempotent: re-running it changes nothing.
# Needs the az CLI signed in (`az login`) to the same tenant as azd. The variables come from the azd
# environment (the outputs of infra/main.bicep).
set -eu

: "${AZURE_FUNCTION_APP_ID:?run azd provision first (AZURE_FUNCTION_APP_ID is not set)}"
: "${AZURE_STORAGE_ACCOUNT_ID:?run azd provision first}"
: "${FLEET_SUBSCRIPTIONS:?run azd provision first}"
: "${FLEET_EVENTS_RESOURCE_GROUP:?run azd provision first}"
: "${FLEET_EVENTS_TOPIC_NAME:?run azd provision first}"
: "${FLEET_DEAD_LETTER_CONTAINER:?run azd provision first}"
: "${AZURE_ENV_NAME:?}"
: "${AZURE_LOCATION:?}"

function_name=onClusterEvent
function_id="$AZURE_FUNCTION_APP_ID/functions/$function_name"

echo "waiting for $function_name to be indexed by the Functions host"
attempt=0
until az resource show --ids "$function_id" --query id --output tsv >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "$function_name did not appear in 5 minutes; check the deployment, then run this script again" >&2
    exit 1
  fi
  sleep 10
done

echo "creating the Event Grid subscriptions on: $FLEET_SUBSCRIPTIONS"
az deployment sub create \
  ${AZURE_SUBSCRIPTION_ID:+--subscription "$AZURE_SUBSCRIPTION_ID"} \
  --name "osm-fleet-events-$AZURE_ENV_NAME" \
  --location "$AZURE_LOCATION" \
  --template-file "$(dirname "$0")/../events.bicep" \
  --parameters \
    fleetSubscriptionIds="$FLEET_SUBSCRIPTIONS" \
    eventsResourceGroupName="$FLEET_EVENTS_RESOURCE_GROUP" \
    systemTopicName="$FLEET_EVENTS_TOPIC_NAME" \
    existingSystemTopicIds="${FLEET_EXISTING_SYSTEM_TOPIC_IDS:-}" \
    environmentName="$AZURE_ENV_NAME" \
    functionAppId="$AZURE_FUNCTION_APP_ID" \
    deadLetterStorageAccountId="$AZURE_STORAGE_ACCOUNT_ID" \
    deadLetterContainerName="$FLEET_DEAD_LETTER_CONTAINER" \
    functionName="$function_name" \
  --output none
echo "event subscriptions ready"
