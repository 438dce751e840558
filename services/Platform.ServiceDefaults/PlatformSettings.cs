using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Platform.ServiceDefaults;

/// <summary>
/// Connection settings from the environment. The defaults match deploy/env.sh and deploy/servers.sh,
/// so a service or test started on a developer's machine finds the servers that script started.
/// </summary>
public sealed record PlatformSettings(
    string PgHost,
    int PgPort,
    string PgUser,
    string PgPassword,
    string RabbitHost,
    int RabbitPort,
    string RabbitUser,
    string RabbitPassword,
    string RabbitVirtualHost,
    string KeysDirectory)
{
    public static PlatformSettings From(IConfiguration configuration) => new(
        configuration["PLATFORM_PG_HOST"] ?? "127.0.0.1",
        Port(configuration, "PLATFORM_PG_PORT", 5432),
        configuration["PLATFORM_PG_USER"] ?? "postgres",
        configuration["PLATFORM_PG_PASSWORD"] ?? "postgres",
        configuration["PLATFORM_RABBITMQ_HOST"] ?? "127.0.0.1",
        Port(configuration, "PLATFORM_RABBITMQ_PORT", 5672),
        configuration["PLATFORM_RABBITMQ_USER"] ?? "guest",
        configuration["PLATFORM_RABBITMQ_PASSWORD"] ?? "guest",
        configuration["PLATFORM_RABBITMQ_VHOST"] ?? "/",
        configuration["PLATFORM_KEYS_DIR"] ?? Path.Combine(Path.GetTempPath(), "warranty-platform-keys"));

    public static PlatformSettings FromEnvironment() =>
        From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost,
        Port = PgPort,
        Username = PgUser,
        Password = PgPassword,
        Database = database,
        MaxPoolSize = 50,
    }.ConnectionString;

    private static int Port(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration[key];
        if (value is null)
        {
            return fallback;
        }
        return int.TryParse(value, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{key} must be a TCP port number, not '{value}'.");
    }
}
