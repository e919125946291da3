#!/bin/sh
# Creates Temporal's two databases and brings their schemas to the version the admin-tools image
# ships. Every command is safe to run again: an existing database or schema version is left as is.
set -eu
SQL="temporal-sql-tool --plugin postgres12 --ep ${POSTGRES_SEEDS} -u ${POSTGRES_USER} -p ${DB_PORT}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) versioned="$SCHEMA_DIR/temporal/versioned" ;;
    *) versioned="$SCHEMA_DIR/visibility/versioned" ;;
  esac
  $SQL --db "$db" create 2>/dev/null || echo "database $db exists"
  $SQL --db "$db" setup-schema -v 0.0 2>/dev/null || echo "database $db already has a schema"
  $SQL --db "$db" update-schema -d "$versioned"
done
echo "Temporal schemas are up to date"
