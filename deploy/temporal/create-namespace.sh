#!/bin/sh
# Creates the namespace and the custom search attributes Silo Deployer's runs are found by. Safe to
# run again: what exists is kept.
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-7d}"

attempt=0
until temporal operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "the Temporal server at $TEMPORAL_ADDRESS did not become healthy" >&2
    exit 1
  fi
  sleep 2
done

temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"

existing=$(temporal operator search-attribute list --namespace "$NAMESPACE")
for name in SiloClient SiloApp SiloStep SiloStatus ReleaseProject ReleaseVersion ReleaseEnvironment ReleaseStatus; do
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword
  fi
done
echo "namespace $NAMESPACE is ready"
