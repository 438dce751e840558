using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Platform.EventSourcing;

/// <summary>
/// One service's event streams, kept by Marten (<c>mt_events</c>, <c>mt_streams</c>), and the units of
/// work that write them together with the plumbing's own inbox, outbox and refusals.
/// </summary>
public sealed class EventStore : IDisposable
{
    private readonly Lazy<DocumentStore> marten;

    /// <param name="schema">Where Marten's tables are: a service's own database uses <c>public</c>; services sharing a database each take a schema.</param>
    /// <param name="openRetry">How a unit of work's opening is retried; <see cref="OpenRetryOptions.Default"/> unless given.</param>
    public EventStore(NpgsqlDataSource dataSource, MessageTypeRegistry types, TimeProvider clock, IEnumerable<IStreamSnapshot>? snapshots = null, string schema = "public", OpenRetryOptions? openRetry = null)
    {
        DataSource = dataSource;
        OpenRetry = (openRetry ?? OpenRetryOptions.Default).Pipeline();
        Types = types;
        Streams = $"{schema}.mt_streams";
        OutboxKey = OutboxWakeups.Key(dataSource);
        Clock = clock;
        var snapshotList = snapshots?.ToList() ?? [];
        snapshotDocuments = [.. snapshotList.Select(s => s.Document)];
        // Built on first use: the services register their event types before anything opens a session.
        marten = new Lazy<DocumentStore>(() => DocumentStore.For(options =>
        {
            options.DatabaseSchemaName = schema;
            Configure(options, dataSource, types, snapshotList);
        }));
    }

    private readonly IReadOnlyList<Type> snapshotDocuments;

    public NpgsqlDataSource DataSource { get; }
    public MessageTypeRegistry Types { get; }
    internal TimeProvider Clock { get; }
    internal Polly.ResiliencePipeline OpenRetry { get; }

    /// <summary>Marten's streams table, qualified by the store's schema, for the statements the plumbing writes itself.</summary>
    internal string Streams { get; }
    internal DocumentStore Marten => marten.Value;

    /// <summary>Whose relays a commit wakes: <see cref="OutboxWakeups"/>.</summary>
    internal string OutboxKey { get; }

    /// <summary>
    /// One unit of work in one transaction. With an <paramref name="incoming"/> message, its id goes
    /// into the inbox in the same transaction, so a redelivery of it has no effect.
    /// </summary>
    public async Task<Session> OpenSession(IncomingMessage? incoming, MessageMetadata metadata, CancellationToken ct)
    {
        var work = await StoreTransaction.Open(this, ct);
        return new Session(work, incoming, metadata, batch: null);
    }

    /// <summary>Units of work for many consumed messages, committed together; see <see cref="SessionBatch"/>.</summary>
    public async Task<SessionBatch> OpenBatch(CancellationToken ct) => new(await StoreTransaction.Open(this, ct));

    /// <summary>Reads a whole stream outside any unit of work, for queries.</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStream(string streamId, CancellationToken ct)
    {
        await using var query = Marten.QuerySession();
        return [.. (await query.Events.FetchStreamAsync(streamId, token: ct)).Select(StoredEvents.From)];
    }

    /// <summary>A stream's state as it stands, for a query: folded outside any unit of work.</summary>
    public async Task<TState> Fold<TState, TEvent>(string streamId, TState initial, Func<TState, TEvent, TState> evolve, CancellationToken ct)
    {
        await using var query = Marten.QuerySession();
        return (await query.Events.FetchStreamAsync(streamId, token: ct)).Aggregate(initial, (state, stored) => evolve(state, (TEvent)stored.Data));
    }

    /// <summary>Creates or updates Marten's tables and functions; the plumbing's own come from <see cref="Migrator"/>.</summary>
    public async Task ApplySchema(CancellationToken ct)
    {
        await Marten.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync(null, null, ct);
        // Marten leaves out the event tables until an event type is known; a store that has none yet still has them.
        await Marten.Storage.Database.EnsureStorageExistsAsync(typeof(IEvent), ct);
        // A commit checks the storage of what it writes once per process, on a connection of the check's own: checked
        // here, before units of work hold the pool's connections. A burst of first commits (a replica started under load)
        // each waited for a second connection that none would give back, until the pool's timeout answered 503.
        await Marten.Storage.Database.EnsureStorageExistsAsync(typeof(global::Marten.Storage.StorageFeatures), ct);
        foreach (var document in snapshotDocuments)
        {
            await Marten.Storage.Database.EnsureStorageExistsAsync(document, ct);
        }
    }

    public void Dispose()
    {
        if (marten.IsValueCreated)
        {
            marten.Value.Dispose();
        }
    }

    private static void Configure(StoreOptions options, NpgsqlDataSource dataSource, MessageTypeRegistry types, IReadOnlyList<IStreamSnapshot> snapshots)
    {
        options.Connection(dataSource);
        // No statement retries inside Marten: every session joins the unit of work's transaction, and
        // a statement retried after its connection broke meets a completed transaction, which hides the
        // transient fault ("Transaction is already completed") from the bus's back-off and the 503.
        // The whole unit of work is retried instead, on a new connection.
        options.ConfigurePolly(_ => { });
        options.ConfigureWritePolly(_ => { });
        options.Events.StreamIdentity = StreamIdentity.AsString;
        // Quick: the version check and the append are one call to Marten's function, with no read
        // before it; it leaves holes in the global sequence when writers race, which nothing here
        // reads (every projection is inline). docs/benchmarks.md has the measurement against Rich.
        options.Events.AppendMode = EventAppendMode.Quick;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        // The stored shape is the plumbing's one JSON shape (see Json): camel case, enums by name.
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json =>
        {
            json.PropertyNameCaseInsensitive = Json.Options.PropertyNameCaseInsensitive;
            json.NumberHandling = Json.Options.NumberHandling;
            json.AllowOutOfOrderMetadataProperties = true;
            if (!json.Converters.OfType<JsonStringEnumConverter>().Any())
            {
                json.Converters.Add(new JsonStringEnumConverter());
            }
        });
        foreach (var (name, type) in types.All)
        {
            options.Events.MapEventType(type, name);
        }
        foreach (var upcast in types.Upcasts)
        {
            options.Events.Upcast(upcast.EventType, upcast.StoredName, upcast.Transformation);
        }
        foreach (var snapshot in snapshots)
        {
            snapshot.Register(options, types);
        }
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.DisableNpgsqlLogging = true;
    }
}

internal static class StoredEvents
{
    public static StoredEvent From(IEvent @event) => new(
        @event.Sequence,
        @event.StreamKey!,
        @event.Version,
        @event.EventTypeName,
        @event.Data,
        EventMetadata.Read(@event),
        @event.Timestamp);
}
