# Connection settings shared by the server script, the services and the tests.
# Every value can be overridden from the environment; these defaults match deploy/servers.sh.
export PLATFORM_PG_HOST="${PLATFORM_PG_HOST:-127.0.0.1}"
export PLATFORM_PG_PORT="${PLATFORM_PG_PORT:-5432}"
export PLATFORM_PG_USER="${PLATFORM_PG_USER:-postgres}"
export PLATFORM_PG_PASSWORD="${PLATFORM_PG_PASSWORD:-postgres}"
export PLATFORM_RABBITMQ_HOST="${PLATFORM_RABBITMQ_HOST:-127.0.0.1}"
export PLATFORM_RABBITMQ_PORT="${PLATFORM_RABBITMQ_PORT:-5672}"
export PLATFORM_RABBITMQ_USER="${PLATFORM_RABBITMQ_USER:-guest}"
export PLATFORM_RABBITMQ_PASSWORD="${PLATFORM_RABBITMQ_PASSWORD:-guest}"
export PLATFORM_DATABASES="${PLATFORM_DATABASES:-order warranty repairdispatch arbitration platform_test}"
# The development issuer's administrator (services/Platform.Identity): the tools register each party's client with it.
export PLATFORM_IDENTITY_ADMIN_SECRET="${PLATFORM_IDENTITY_ADMIN_SECRET:-development-administrator-secret}"
