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
    SslMode? PgSslMode = null,
    int PgMaxPoolSize = PlatformSettings.DefaultPgMaxPoolSize)
{
    /// <summary>
    /// Connections one process's pool may open to its database (the plumbing's own pool comes on top): every replica of
    /// every service opens up to this many, so it is sized against PostgreSQL's <c>max_connections</c>.
    /// </summary>
    public const string PgMaxPoolSizeKey = "PLATFORM_PG_MAX_POOL_SIZE";

    public const int DefaultPgMaxPoolSize = 50;

    /// <summary>How a unit of work's opening of a connection is retried: see <see cref="Platform.EventSourcing.OpenRetryOptions"/>.</summary>
    public const string PgOpenRetriesKey = "PLATFORM_PG_OPEN_RETRIES";

    public const string PgOpenRetryDelayKey = "PLATFORM_PG_OPEN_RETRY_MS";

    /// <summary>The relay's idle bound: see <see cref="Platform.EventSourcing.OutboxRelayOptions.MaxIdle"/>.</summary>
    public const string OutboxMaxIdleKey = "PLATFORM_OUTBOX_MAX_IDLE_MS";

    /// <summary>The relay's back-off and lease: see <see cref="Platform.EventSourcing.OutboxRelayOptions"/>.</summary>
    public const string OutboxRetryKey = "PLATFORM_OUTBOX_RETRY_MS";

    public const string OutboxMaxRetryKey = "PLATFORM_OUTBOX_MAX_RETRY_SECONDS";

    public const string OutboxLeaseKey = "PLATFORM_OUTBOX_LEASE_SECONDS";

    public const string OutboxPublishTimeoutKey = "PLATFORM_OUTBOX_PUBLISH_TIMEOUT_SECONDS";

    /// <summary>
    /// The largest request body a service reads; a larger one is answered 413. A body is read whole (its
    /// Idempotency-Key fingerprint, then the JSON binding), and the services' managed heap is bounded
    /// (Directory.Build.props), so it is bounded like a message; Kestrel's own default is 30 MB.
    /// </summary>
    public const string MaxRequestBytesKey = "PLATFORM_MAX_REQUEST_BYTES";

    public const int DefaultMaxRequestBytes = 1024 * 1024;

    /// <summary>Every environment variable the platform's hosts read, for deployment files to be checked against.</summary>
    public static readonly IReadOnlyList<string> EnvironmentKeys =
    [
        "PLATFORM_PG_HOST", "PLATFORM_PG_PORT", "PLATFORM_PG_USER", "PLATFORM_PG_PASSWORD", "PLATFORM_PG_DATABASE", "PLATFORM_PG_SSL_MODE", PgMaxPoolSizeKey, PgOpenRetriesKey, PgOpenRetryDelayKey,
        "PLATFORM_RABBITMQ_HOST", "PLATFORM_RABBITMQ_PORT", "PLATFORM_RABBITMQ_USER", "PLATFORM_RABBITMQ_PASSWORD", "PLATFORM_RABBITMQ_VHOST", "PLATFORM_RABBITMQ_QUORUM_QUEUES",
        "PLATFORM_CLOCK_SPEED", "PLATFORM_CLOCK_ORIGIN", "PLATFORM_OUTBOX_BATCH_SIZE", "PLATFORM_OUTBOX_WORKERS", "PLATFORM_OUTBOX_MAX_ATTEMPTS", OutboxMaxIdleKey, OutboxRetryKey, OutboxMaxRetryKey, OutboxLeaseKey, OutboxPublishTimeoutKey, "PLATFORM_PLUMBING_POOL_SIZE",
        "PLATFORM_RETENTION_INBOX_DAYS", "PLATFORM_RETENTION_REFUSALS_DAYS", "PLATFORM_RETENTION_IDEMPOTENCY_DAYS", "PLATFORM_CONSUMER_CONCURRENCY", "PLATFORM_CONSUMER_BATCH_SIZE", "PLATFORM_CONSUMER_BATCH_WAIT_MS", "PLATFORM_CONSUMER_BATCHES", "PLATFORM_MAX_MESSAGE_BYTES", MaxRequestBytesKey,
        "PLATFORM_OUTBOX_MAX_LAG_SECONDS", "PLATFORM_SCHEDULER_MAX_LAG_SECONDS", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_METRIC_EXPORT_INTERVAL",
        .. AuthenticationSettings.EnvironmentKeys, .. RateLimitSettings.EnvironmentKeys,
        Http.WorklistPaging.PageSizeKey, Http.WorklistPaging.MaxPageSizeKey, Http.IdempotencySettings.WaitKey, Http.IdempotencySettings.LeaseKey,
        DeadLetterLimits.MaxSampleKey, DeadLetterLimits.MaxMoveKey, RefusalListing.MaxLimitKey, TransientRetry.LimitKey, TransientRetry.MinIntervalKey, TransientRetry.MaxIntervalKey,
    ];

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
        SslModeFrom(configuration["PLATFORM_PG_SSL_MODE"]),
        Settings.Positive(configuration, PgMaxPoolSizeKey, DefaultPgMaxPoolSize));

    public static PlatformSettings FromEnvironment() =>
        From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost,
        Port = PgPort,
        Username = PgUser,
        Password = PgPassword,
        Database = database,
        MaxPoolSize = PgMaxPoolSize,
        // The store's few statements run on every message: prepared once per connection, they skip
        // parsing and planning each time. A service runs 40-50 statements often enough to be prepared; with
        // room for 32, the least used were pushed out and prepared again, and planned anew each time (the
        // relay's claim in 1,580 of 2,005 runs). A prepared plan costs its backend 10-130 KiB.
        MaxAutoPrepare = 128,
        AutoPrepareMinUsages = 2,
        // Npgsql otherwise sends RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all() and two DISCARDs with the
        // first statement after every return to the pool: three times per claim filed over HTTP (the idempotency key
        // taken, the unit of work, the answer kept), three of the seventeen statements PostgreSQL ran for it. Nothing here
        // leaves session state on a pooled connection: advisory locks are transaction-scoped (the migrations' is
        // released before the connection goes back), listening connections are held until the process stops, and no
        // statement sets a session setting.
        NoResetOnClose = true,
        SslMode = PgSslMode ?? (IsLoopback(PgHost) ? SslMode.Disable : SslMode.Prefer),
        // Npgsql asks for GSS (Kerberos) encryption first by default and, when a connection fails, connects again
        // without it: against a database that is restarting, every try was two connections and two start-ups. The
        // platform signs in with a password; TLS is SslMode's.
        GssEncryptionMode = GssEncryptionMode.Disable,
    }.ConnectionString;

    /// <summary>
    /// Encrypting a connection that never leaves the machine protects nothing and costs both ends
    /// CPU on every statement (a fifth of the driver's time in the pipeline profile), so a loopback
    /// database is reached in plain text unless PLATFORM_PG_SSL_MODE says otherwise.
    /// </summary>
    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    private static SslMode? SslModeFrom(string? value) =>
        value is null ? null
        : Enum.TryParse<SslMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) ? mode
        : throw new InvalidOperationException($"PLATFORM_PG_SSL_MODE must be one of {string.Join(", ", Enum.GetNames<SslMode>())}, not '{value}'.");

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

    /// <summary>A RabbitMQ client connection of its own (beside MassTransit's), named for the broker's connection list.</summary>
    public RabbitMQ.Client.ConnectionFactory RabbitConnectionFactory(string clientName) => new()
    {
        HostName = RabbitHost,
        Port = RabbitPort,
        UserName = RabbitUser,
        Password = RabbitPassword,
        VirtualHost = RabbitVirtualHost,
        ClientProvidedName = clientName,
    };
}
