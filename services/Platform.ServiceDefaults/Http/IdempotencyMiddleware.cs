using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using Platform.EventSourcing;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// Every state-changing request (POST, PUT, PATCH, DELETE) carries an Idempotency-Key, and the
/// first answer under a (caller, key) is kept: a retry after a lost answer gets that very answer
/// (status and body) and acts nothing twice; the same key sent with another request is a client's
/// mistake (422). Concurrent requests under one key wait for each other on an advisory lock, so the
/// second sees what the first answered. Answers 5xx are not kept: those ask to be sent again.
/// </summary>
/// <remarks>
/// The record commits just after the request's own unit of work. A crash between the two leaves the
/// request done and not recorded; its retry then runs again, and meets deciders for which a repeated
/// command changes nothing (the key is the id of what it creates where that matters).
/// </remarks>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;
    public const string KeyReusedCode = "IdempotencyKeyReused";

    // Two-key advisory locks, a key space apart from the one-key locks of migrations.
    private const int LockClass = 0x4944_454D;

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
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsStateChanging(context) || Caller.From(context.User) is not { } caller)
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

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var wait = new NpgsqlCommand($"select pg_advisory_xact_lock({LockClass}, hashtext($1))", connection, transaction))
        {
            wait.Parameters.Add(new() { Value = who + "\n" + key });
            await wait.ExecuteNonQueryAsync(ct);
        }
        if (await Recorded(connection, transaction, who, key, ct) is { } first)
        {
            await (first.RequestHash.AsSpan().SequenceEqual(hash)
                ? Replay(context, first)
                : Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                    detail: $"This {Header} was used for another request; a new request needs a new key.",
                    extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = KeyReusedCode }).ExecuteAsync(context));
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode < StatusCodes.Status500InternalServerError)
        {
            await Record(connection, transaction, who, key, hash, context.Response, buffer.ToArray(), ct);
            await transaction.CommitAsync(ct);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    private static bool IsStateChanging(HttpContext context) =>
        context.GetEndpoint() is not null
        && (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method)
            || HttpMethods.IsPatch(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method));

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

    private static async Task<FirstAnswer?> Recorded(NpgsqlConnection connection, NpgsqlTransaction transaction, string who, string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select request_hash, status, content_type, location, body from idempotency_records where caller = $1 and key = $2", connection, transaction);
        command.Parameters.Add(new() { Value = who });
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new FirstAnswer(
            reader.GetFieldValue<byte[]>(0), reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetFieldValue<byte[]>(4));
    }

    private async Task Record(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string who, string key, byte[] hash, HttpResponse response, byte[] body, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            insert into idempotency_records (caller, key, request_hash, status, content_type, location, body, recorded_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = who });
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = response.StatusCode });
        command.Parameters.Add(new() { Value = (object?)response.ContentType ?? DBNull.Value });
        command.Parameters.Add(new() { Value = response.Headers.Location.Count == 1 ? response.Headers.Location[0]! : DBNull.Value });
        command.Parameters.Add(new() { Value = body });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task Replay(HttpContext context, FirstAnswer first)
    {
        context.Response.StatusCode = first.Status;
        if (first.ContentType is not null)
        {
            context.Response.ContentType = first.ContentType;
        }
        if (first.Location is not null)
        {
            context.Response.Headers.Location = first.Location;
        }
        context.Response.ContentLength = first.Body.Length;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.Body.WriteAsync(first.Body, context.RequestAborted);
    }

    private sealed record FirstAnswer(byte[] RequestHash, int Status, string? ContentType, string? Location, byte[] Body);
}
