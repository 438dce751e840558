using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace RepairDispatch.Service.Features.Webhooks;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Abandoned,
}

/// <summary>One delivery as the log lists it. Times are real (UTC), as the attempts were made.</summary>
/// <param name="NextAttemptAt">While pending: when it is tried next.</param>
/// <param name="SettledAt">When it was delivered (the 2xx) or abandoned.</param>
public sealed record WebhookDeliveryView(
    Guid Id,
    string Type,
    Guid JobId,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SettledAt,
    int? LastStatusCode,
    string? LastError);

/// <param name="StatusCode">The endpoint's answer; null when none came (refused connection, TLS failure, timeout).</param>
public sealed record WebhookAttemptView(DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs);

/// <summary>A delivery with what it sends (the exact body that is signed) and every attempt, oldest first.</summary>
public sealed record WebhookDeliveryDetail(WebhookDeliveryView Delivery, JsonElement Body, IReadOnlyList<WebhookAttemptView> Attempts);

/// <summary>The delivery log a provider reads (its own; operators any provider's), and redelivery of one delivery.</summary>
public static class WebhookLogEndpoints
{
    private const string Columns =
        "id, event_type, job_id, status, attempts, created_at, case when status = 'Pending' then next_attempt_at end, settled_at, last_status_code, last_error";

    public static WebApplication MapWebhookLog(this WebApplication app)
    {
        var deliveries = app.MapProviderWebhook("/providers/{id}/webhook/deliveries");

        deliveries.MapGet("/", async (string id, string? status, string? cursor, int? limit, NpgsqlDataSource dataSource,
                WorklistPaging paging, CancellationToken ct) =>
            {
                DeliveryStatus? wanted = null;
                if (status is not null)
                {
                    if (!Enum.GetNames<DeliveryStatus>().Contains(status, StringComparer.Ordinal))
                    {
                        return Problems.Invalid("status", $"status must be one of {string.Join(", ", Enum.GetNames<DeliveryStatus>())}.");
                    }
                    wanted = Enum.Parse<DeliveryStatus>(status);
                }
                if (paging.Size(limit, out var size) is { } badLimit)
                {
                    return badLimit;
                }
                var scope = PageCursor.Scope("webhook-deliveries", id, status);
                if (!PageCursor.TryRead(cursor, scope, 2, TryKey, out var after))
                {
                    return PageCursor.Invalid();
                }
                var query = new WorklistQuery($"select {Columns} from webhook_deliveries")
                    .Where("provider_id = {0}", id)
                    .WhereIf(wanted is not null, "status = {0}", wanted.ToString()!)
                    .WhereIf(after is not null, "(created_at, id) < ({0}, {1})", after ?? []);
                await using var command = query.Command(dataSource, "created_at desc, id desc", size);
                return Results.Ok(PageCursor.Page(await Read(command, ct), size, scope,
                    d => [PageCursor.Key(d.CreatedAt), PageCursor.Key(d.Id)], d => d));
            })
            .WithName("ListWebhookDeliveries")
            .Produces<Page<WebhookDeliveryView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The provider's webhook deliveries, newest first, optionally of one status (Pending, Delivered, Abandoned)");

        deliveries.MapGet("/{deliveryId:guid}", async (string id, Guid deliveryId, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                await using var command = dataSource.CreateCommand($"select {Columns}, body from webhook_deliveries where id = $1 and provider_id = $2");
                command.Parameters.Add(new() { Value = deliveryId });
                command.Parameters.Add(new() { Value = id });
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return NoDelivery(deliveryId);
                }
                var view = View(reader);
                var body = JsonDocument.Parse(reader.GetString(10)).RootElement.Clone();
                await reader.DisposeAsync();
                await using var attempts = dataSource.CreateCommand(
                    "select attempted_at, status_code, error, duration_ms from webhook_attempts where delivery_id = $1 order by id");
                attempts.Parameters.Add(new() { Value = deliveryId });
                await using var rows = await attempts.ExecuteReaderAsync(ct);
                var list = new List<WebhookAttemptView>();
                while (await rows.ReadAsync(ct))
                {
                    list.Add(new WebhookAttemptView(rows.GetFieldValue<DateTimeOffset>(0), rows.IsDBNull(1) ? null : rows.GetInt32(1),
                        rows.IsDBNull(2) ? null : rows.GetString(2), rows.GetInt32(3)));
                }
                return Results.Ok(new WebhookDeliveryDetail(view, body, list));
            })
            .WithName("GetWebhookDelivery")
            .Produces<WebhookDeliveryDetail>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One delivery: its body and every attempt (time, status code, error)");

        deliveries.MapPost("/{deliveryId:guid}/redeliver", async (string id, Guid deliveryId, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                // The same body and id go out again, with a fresh timestamp and signature; the back-off starts over.
                await using var command = dataSource.CreateCommand($"""
                    with registered as (select 1 from webhook_registrations where provider_id = $2),
                    found as (select 1 from webhook_deliveries where id = $1 and provider_id = $2),
                    queued as (
                        update webhook_deliveries set status = 'Pending', failures = 0, next_attempt_at = now(), settled_at = null
                        where id = $1 and provider_id = $2 and exists (select 1 from registered)
                        returning {Columns}),
                    notified as (select pg_notify('{WebhookEvents.Channel}', '') from queued)
                    select exists (select 1 from found), exists (select 1 from registered), (select count(*) from notified), queued.*
                    from (select 1) one left join queued on true
                    """);
                command.Parameters.Add(new() { Value = deliveryId });
                command.Parameters.Add(new() { Value = id });
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                if (!reader.GetBoolean(0))
                {
                    return NoDelivery(deliveryId);
                }
                if (!reader.GetBoolean(1))
                {
                    return Problems.Conflict("NoWebhookRegistered", $"Provider {id} has no webhook registered to send the delivery to; register one first.");
                }
                return Results.Accepted($"/providers/{id}/webhook/deliveries/{deliveryId}", View(reader, offset: 3));
            })
            .WithName("RedeliverWebhookDelivery")
            .Produces<WebhookDeliveryView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Sends one delivery again, delivered or not: the same id and body, a fresh signature; answers 202 with it queued");

        return app;
    }

    private static IResult NoDelivery(Guid deliveryId) => Problems.NotFound($"No webhook delivery {deliveryId} of this provider.");

    private static object[]? TryKey(string[] keys) =>
        PageCursor.TryInstant(keys[0], out var createdAt) && Guid.TryParse(keys[1], out var id) ? [createdAt, id] : null;

    private static async Task<IReadOnlyList<WebhookDeliveryView>> Read(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var views = new List<WebhookDeliveryView>();
        while (await reader.ReadAsync(ct))
        {
            views.Add(View(reader));
        }
        return views;
    }

    private static WebhookDeliveryView View(NpgsqlDataReader reader, int offset = 0)
    {
        DateTimeOffset? Instant(int i) => reader.IsDBNull(offset + i) ? null : reader.GetFieldValue<DateTimeOffset>(offset + i);
        return new WebhookDeliveryView(reader.GetGuid(offset), reader.GetString(offset + 1), reader.GetGuid(offset + 2),
            Enum.Parse<DeliveryStatus>(reader.GetString(offset + 3)), reader.GetInt32(offset + 4), Instant(5)!.Value, Instant(6), Instant(7),
            reader.IsDBNull(offset + 8) ? null : reader.GetInt32(offset + 8), reader.IsDBNull(offset + 9) ? null : reader.GetString(offset + 9));
    }
}
