#!/bin/sh
# Writes the configuration the official image derives from its environment, then runs the broker in
# the foreground. Debian's package allows the default user on loopback only; a published port is not
# loopback inside the container, so that restriction is lifted as in the official image.
set -eu
cat >"$RABBITMQ_CONFIG_FILE" <<CONF
loopback_users = none
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
log.console = true
log.console.level = info
log.file = false
CONF
if [ "${1:-}" = rabbitmq-server ]; then
  shift
  exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
