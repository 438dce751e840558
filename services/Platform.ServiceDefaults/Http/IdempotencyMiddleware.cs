using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Platform.EventSourcing;
using Microsoft.AspNetCore.Authorization;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Every state-changing request (POST, PUT, PATCH, DELETE) carries an Idempotency-Key, and the
/// first answer under a (caller, key) is kept: a retry after a lost answer gets that very answer
/// (status and body) and acts nothing twice; the same key sent with another request is a client's
/// mistake (422). The first request claims the key with a row of its own before it runs; a second
/// request under the key meanwhile waits for that answer, without holding a connection. An endpoint
/// marked <see cref="KeptByUnitOfWork"/> claims nothing first: its unit of work takes the key. A request
/// that runs a unit of work (<see cref="RequestPipeline"/>) keeps its answer in that unit of work's
/// commit, so what it did and what it answered are kept together or not at all; any other request's
/// answer is kept once it has answered. Answers 5xx are not kept: those ask to be sent again; nor are
/// those of endpoints marked <see cref="AnswerNotKept"/>.
/// </summary>
/// <remarks>
/// No connection is held while the request runs: holding one (as an advisory lock did) while the
/// request's own unit of work took another starved the pool under load, every request holding the
/// first connection and waiting for a second. A claim is a lease: when its process dies mid-request,
/// a retry after the lease (<see cref="IdempotencySettings.Lease"/>) runs the request again, and meets deciders for which a
/// repeated command changes nothing (the key is the id of what it creates where that matters).
/// </remarks>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource dataSource, TimeProvider clock, IdempotencySettings settings)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;
    public const string KeyReusedCode = "IdempotencyKeyReused";

    public const string InProgressCode = "IdempotentRequestInProgress";

    /// <summary>The table the keys and their answers are kept in; a unit of work that finds a key taken in it answers the first answer.</summary>
    public const string Table = "idempotency_records";

    /// <summary>The status of a claimed key whose request has not answered yet.</summary>
    private const int Claimed = 0;

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new("platform-idempotency", 1, """
            create table if not exists idempotency_records (
                caller text not null,
                key text not null,
                request_hash bytea not null,
                status int not null,
                content_type text,
                location text,
                body bytea not null,
                recorded_at timestamptz not null,
                primary key (caller, key))
            """),
        new("platform-idempotency", 2, "alter table idempotency_records add column if not exists claimed_until timestamptz"),
        new("platform-idempotency", 3, "create index if not exists idempotency_records_recorded_at on idempotency_records (recorded_at)"),
    ];

    /// <summary>Records are kept for <paramref name="window"/>: a client's retry after a lost answer comes within it.</summary>
    public static RetainedTable Retained(TimeSpan window) => new(Table, "recorded_at", window);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint || !RequiresKey(context.Request.Method, endpoint.Metadata)
            || Caller.From(context.User) is not { } caller)
        {
            await next(context);
            return;
        }
        var keys = context.Request.Headers[Header];
        if (keys.Count != 1 || string.IsNullOrWhiteSpace(keys[0]) || keys[0]!.Length > MaxKeyLength)
        {
            await Results.ValidationProblem(new Dictionary<string, string[]>
            {
                [Header] = [$"A state-changing request carries one {Header} header of 1 to {MaxKeyLength} characters; a retry sends the same one."],
            }).ExecuteAsync(context);
            return;
        }
        var key = keys[0]!;
        var who = $"{caller.Role}:{caller.SubjectId}";
        var hash = await Fingerprint(context.Request);
        var ct = context.RequestAborted;

        // An endpoint that acts only through its unit of work takes the key with that commit, not before it runs.
        var kept = endpoint.Metadata.GetMetadata<AnswerNotKept>() is null;
        var claimFirst = !kept || endpoint.Metadata.GetMetadata<KeptByUnitOfWork>() is null;
        if (claimFirst && await AnsweredBefore(context, who, key, hash, () => Claim(who, key, hash, ct)))
        {
            return;
        }

        var held = new HeldKey(who, key, hash, claimFirst);
        if (kept)
        {
            context.Features.Set(held);
        }
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            if (claimFirst)
            {
                await Release(who, key);
            }
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        // Another request under the key committed first, and what this one wrote rolled back with its unit of work; or
        // it was turned down before it reached one, and the first answer is the one kept.
        var takenByAnother = held.TakenByAnother;
        // A request whose unit of work kept its answer has nothing left to keep or give back.
        if (!takenByAnother && !held.KeptWithUnitOfWork)
        {
            if (context.Response.StatusCode < StatusCodes.Status500InternalServerError && kept)
            {
                takenByAnother = !await Record(held, new KeptAnswer(context.Response.StatusCode, context.Response.ContentType,
                    context.Response.Headers.Location.Count == 1 ? context.Response.Headers.Location[0] : null, buffer.ToArray()), ct);
            }
            else if (claimFirst)
            {
                await Release(who, key);
            }
        }
        if (takenByAnother)
        {
            await AnsweredBefore(context, who, key, hash, () => Task.FromResult(false));
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    /// <summary>
    /// Answers as the first request under the key answered (or 422, when that was another request), waiting for its
    /// answer while it runs, up to <see cref="IdempotencySettings.Wait"/>; false as soon as <paramref name="take"/>
    /// takes the key for this request instead.
    /// </summary>
    private async Task<bool> AnsweredBefore(HttpContext context, string who, string key, byte[] hash, Func<Task<bool>> take)
    {
        var ct = context.RequestAborted;
        var deadline = clock.GetUtcNow() + settings.Wait;
        while (!await take())
        {
            if (await Recorded(who, key, ct) is { Answer.Status: not Claimed } first)
            {
                await (first.RequestHash.AsSpan().SequenceEqual(hash)
                    ? first.Answer.ExecuteAsync(context)
                    : KeyReused().ExecuteAsync(context));
                return true;
            }
            if (clock.GetUtcNow() > deadline)
            {
                context.Response.Headers.RetryAfter = "1";
                await Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Request in progress",
                    detail: $"A request with this {Header} is still being handled; send it again shortly for its answer.",
                    extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = InProgressCode }).ExecuteAsync(context);
                return true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
        return false;
    }

    private static IResult KeyReused() =>
        Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
            detail: $"This {Header} was used for another request; a new request needs a new key.",
            extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = KeyReusedCode });

    /// <summary>Takes the key for this request: a new row, or a claim whose lease ran out. False when another holds or answered it.</summary>
    private async Task<bool> Claim(string who, string key, byte[] hash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand($"""
            insert into idempotency_records (caller, key, request_hash, status, body, recorded_at, claimed_until)
            values ($1, $2, $3, {Claimed}, ''::bytea, $4, $5)
            on conflict (caller, key) do update
                set request_hash = excluded.request_hash, recorded_at = excluded.recorded_at, claimed_until = excluded.claimed_until
                where idempotency_records.status = {Claimed} and idempotency_records.claimed_until < $4
            returning true
            """);
        command.Parameters.Add(new() { Value = who });
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + settings.Lease });
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>Gives the key back after an answer that is not kept, so that a retry runs the request.</summary>
    private async Task Release(string who, string key)
    {
        await using var command = dataSource.CreateCommand($"delete from idempotency_records where caller = $1 and key = $2 and status = {Claimed}");
        command.Parameters.Add(new() { Value = who });
        command.Parameters.Add(new() { Value = key });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Whether a request to an endpoint must carry the header: a state-changing method on an endpoint that
    /// needs a caller. The OpenAPI documents declare the header from this very rule.
    /// </summary>
    public static bool RequiresKey(string method, IEnumerable<object> endpointMetadata) =>
        (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method))
        && !endpointMetadata.OfType<IAllowAnonymous>().Any();

    /// <summary>What makes two requests the same request: method, path, query and body.</summary>
    private static async Task<byte[]> Fingerprint(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    private async Task<FirstAnswer?> Recorded(string who, string key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select request_hash, status, content_type, location, body from idempotency_records where caller = $1 and key = $2");
        command.Parameters.Add(new() { Value = who });
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new FirstAnswer(reader.GetFieldValue<byte[]>(0), new KeptAnswer(
            reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetFieldValue<byte[]>(4)));
    }

    /// <summary>Keeps the answer under a key this request claimed; the placeholders are <c>?</c>, for <see cref="RecordValues"/> in their order.</summary>
    internal const string RecordSql = """
        update idempotency_records
        set status = ?, content_type = ?, location = ?, body = ?, recorded_at = ?, claimed_until = null
        where caller = ? and key = ? and request_hash = ?
        """;

    /// <summary>
    /// Takes a key nobody claimed with the answer under it (<see cref="KeptByUnitOfWork"/>), in the order of
    /// <see cref="RecordValues"/>; a key taken already fails on the primary key.
    /// </summary>
    internal const string TakeSql = """
        insert into idempotency_records (status, content_type, location, body, recorded_at, caller, key, request_hash)
        values (?, ?, ?, ?, ?, ?, ?, ?)
        """;

    internal static object?[] RecordValues(HeldKey held, KeptAnswer answer, DateTimeOffset now) =>
        [answer.Status, answer.ContentType, answer.Location, answer.Body, now, held.Caller, held.Key, held.RequestHash];

    private static readonly string RecordNumbered = Numbered(RecordSql);

    /// <summary>Takes the key unless a request under it committed first; returns nothing then.</summary>
    private static readonly string TakeNumbered = Numbered(TakeSql) + " on conflict (caller, key) do nothing returning true";

    private static string Numbered(string sql)
    {
        var placeholder = 0;
        return Regex.Replace(sql, @"\?", _ => $"${++placeholder}");
    }

    /// <summary>Keeps an answer that no unit of work kept; false when a request under the key had its answer kept first.</summary>
    private async Task<bool> Record(HeldKey held, KeptAnswer answer, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(held.ClaimedFirst ? RecordNumbered : TakeNumbered);
        foreach (var value in RecordValues(held, answer, clock.GetUtcNow()))
        {
            command.Parameters.Add(new() { Value = value ?? DBNull.Value });
        }
        if (held.ClaimedFirst)
        {
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>
    /// Endpoint metadata: the answer shows a secret once (a password), which must not be stored in clear, so it
    /// is not kept; a retry under the key runs the request again, and gets what a repeated command answers.
    /// </summary>
    public sealed class AnswerNotKept;

    private sealed record FirstAnswer(byte[] RequestHash, KeptAnswer Answer);

    /// <summary>
    /// Endpoint metadata: everything the endpoint does is in the unit of work of <see cref="RequestPipeline"/> with its
    /// final answer, so the key is taken by that commit, with the answer, rather than claimed before the request runs:
    /// one transaction fewer a request. Two requests under one key then both run, and the one that commits second rolls
    /// back and answers what the first answered.
    /// </summary>
    public sealed class KeptByUnitOfWork
    {
        public static readonly KeptByUnitOfWork Instance = new();

        private KeptByUnitOfWork()
        {
        }
    }

    /// <summary>
    /// The key of a running request, for <see cref="RequestPipeline"/> to keep the answer in the request's unit of work;
    /// absent where the answer is not kept.
    /// </summary>
    internal sealed class HeldKey(string caller, string key, byte[] requestHash, bool claimedFirst)
    {
        public string Caller { get; } = caller;
        public string Key { get; } = key;
        public byte[] RequestHash { get; } = requestHash;

        /// <summary>True when the key was claimed before the request ran; false when a unit of work takes it (<see cref="KeptByUnitOfWork"/>).</summary>
        public bool ClaimedFirst { get; } = claimedFirst;

        /// <summary>True once a unit of work has committed the answer with what the request did.</summary>
        public bool KeptWithUnitOfWork { get; set; }

        /// <summary>True when a unit of work found the key taken by another request that committed first.</summary>
        public bool TakenByAnother { get; set; }
    }
}

public static class IdempotencyEndpointExtensions
{
    /// <summary>Marks an endpoint <see cref="IdempotencyMiddleware.KeptByUnitOfWork"/>: everything it does is in its unit of work.</summary>
    public static TBuilder AnswerKeptByUnitOfWork<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotencyMiddleware.KeptByUnitOfWork.Instance);
}

/// <summary>An answer as kept under an Idempotency-Key: the first answer and every replay are these very bytes.</summary>
internal sealed record KeptAnswer(int Status, string? ContentType, string? Location, byte[] Body) : IResult
{
    /// <summary>What <paramref name="result"/> answers, rendered aside: nothing reaches the caller until it is written.</summary>
    public static async Task<KeptAnswer> Render(IResult result, HttpContext context)
    {
        var aside = new DefaultHttpContext { RequestServices = context.RequestServices, TraceIdentifier = context.TraceIdentifier };
        aside.Request.Method = context.Request.Method;
        aside.Request.Scheme = context.Request.Scheme;
        aside.Request.Host = context.Request.Host;
        aside.Request.PathBase = context.Request.PathBase;
        aside.Request.Path = context.Request.Path;
        aside.Request.QueryString = context.Request.QueryString;
        aside.SetEndpoint(context.GetEndpoint());
        await using var body = new MemoryStream();
        aside.Response.Body = body;
        await result.ExecuteAsync(aside);
        var location = aside.Response.Headers.Location;
        return new KeptAnswer(aside.Response.StatusCode, aside.Response.ContentType, location.Count == 1 ? location[0] : null, body.ToArray());
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        if (ContentType is not null)
        {
            httpContext.Response.ContentType = ContentType;
        }
        if (Location is not null)
        {
            httpContext.Response.Headers.Location = Location;
        }
        httpContext.Response.ContentLength = Body.Length;
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await httpContext.Response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}

/// <summary>
/// How long a second request under a key waits for the first one's answer before it is told to come back
/// (<c>PLATFORM_IDEMPOTENCY_WAIT_SECONDS</c>), and how long a claim holds the key before a retry may take it
/// over (<c>PLATFORM_IDEMPOTENCY_LEASE_SECONDS</c>): longer than any request runs, or a slow request runs twice.
/// </summary>
public sealed record IdempotencySettings(TimeSpan Wait, TimeSpan Lease)
{
    public const string WaitKey = "PLATFORM_IDEMPOTENCY_WAIT_SECONDS";
    public const string LeaseKey = "PLATFORM_IDEMPOTENCY_LEASE_SECONDS";

    public static readonly IdempotencySettings Default = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60));

    /// <summary>Reads both settings; a value that is not a positive whole number stops the service, naming it.</summary>
    public static IdempotencySettings From(IConfiguration configuration) => new(
        Settings.Positive(configuration, WaitKey, Default.Wait, TimeSpan.FromSeconds(1)),
        Settings.Positive(configuration, LeaseKey, Default.Lease, TimeSpan.FromSeconds(1)));
}
