#!/bin/sh
# Before `azd provision` (azure.yaml `preprovision`): find each fleet subscription's existing ARM-events
# system topic (type Microsoft.Resources.Subscriptions). Event Grid allows one system topic per source
# (https://learn.microsoft.com/azure/event-grid/system-topics), so an existing one, another app's or another
# azd environment's, must be reused rather than created again. The IDs found go to the azd environment as
# FLEET_EXISTING_SYSTEM_TOPIC_IDS (infra/main.bicep `existingSystemTopicIds`). A value already set there
# is kept: set it by hand (docs/deploy.md) to choose, or to an empty value to look again.
set -eu

: "${FLEET_SUBSCRIPTION_IDS:?set FLEET_SUBSCRIPTION_IDS (azd env set FLEET_SUBSCRIPTION_IDS <guid,...>)}"

if [ -n "${FLEET_EXISTING_SYSTEM_TOPIC_IDS:-}" ]; then
  echo "reusing the system topics named in FLEET_EXISTING_SYSTEM_TOPIC_IDS"
  exit 0
fi

found=""
for sub in $(echo "$FLEET_SUBSCRIPTION_IDS" | tr ',' ' '); do
  topic=$(az eventgrid system-topic list --subscription "$sub" --query "[].[id, topicType]" --output tsv |
    awk 'tolower($2) == "microsoft.resources.subscriptions" { print $1; exit }')
  if [ -n "$topic" ]; then
    echo "subscription $sub: reusing $topic"
    found="${found:+$found,}$topic"
  else
    echo "subscription $sub: no ARM-events system topic yet; provisioning creates one"
  fi
done
azd env set FLEET_EXISTING_SYSTEM_TOPIC_IDS "$found"
