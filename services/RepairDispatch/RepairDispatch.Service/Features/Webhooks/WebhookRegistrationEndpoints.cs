using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Service.Providers;

namespace RepairDispatch.Service.Features.Webhooks;

public sealed record RegisterWebhookRequest([property: Required] string? Url);

/// <summary>A provider's webhook endpoint. The secret appears once: in the answer that made it (registration, rotation).</summary>
public sealed record WebhookRegistrationView(
    string ProviderId,
    string Url,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset SecretRotatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>
/// A provider registers, changes, rotates the secret of and removes its own webhook endpoint; an operator may do
/// so for any provider. The registration is a row of the service's own, not a stream: it decides nothing about
/// jobs, and its one rule (the URL's form) is checked here, so the statements run on their own, not in the job pipeline.
/// </summary>
public static class WebhookRegistrationEndpoints
{
    private const string Columns = "provider_id, url, registered_at, updated_at, secret_rotated_at";

    public static WebApplication MapWebhookRegistration(this WebApplication app)
    {
        var webhook = app.MapProviderWebhook("/providers/{id}/webhook");

        webhook.MapPut("/", async (string id, RegisterWebhookRequest? body, NpgsqlDataSource dataSource, RepairDispatchSettings settings, WebhookAddresses addresses,
            CancellationToken ct) =>
            {
                if (UrlProblem(body?.Url, settings.Webhooks.AllowHttp, addresses) is { } problem)
                {
                    return Problems.Invalid("url", problem);
                }
                // xmax is 0 on a row this statement inserted: the one case that makes (and shows) a secret.
                await using var command = dataSource.CreateCommand($"""
                    insert into webhook_registrations (provider_id, url, secret) values ($1, $2, $3)
                    on conflict (provider_id) do update set url = excluded.url, updated_at = now()
                    returning {Columns}, xmax = 0, secret
                    """);
                command.Parameters.Add(new() { Value = id });
                command.Parameters.Add(new() { Value = body!.Url! });
                command.Parameters.Add(new() { Value = WebhookSignature.NewSecret() });
                var (view, created) = await Read(command, ct) ?? throw new InvalidOperationException("The upsert returned no row.");
                return created ? Results.Created($"/providers/{id}/webhook", view) : Results.Ok(view with { Secret = null });
            })
            .WithMetadata(new IdempotencyMiddleware.AnswerNotKept())
            .WithName("RegisterWebhook")
            .Produces<WebhookRegistrationView>(StatusCodes.Status201Created)
            .Produces<WebhookRegistrationView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Registers or changes the provider's webhook endpoint (the provider itself, or operators); a first registration answers 201 with the signing secret, shown this once");

        webhook.MapGet("/", async (string id, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                await using var command = dataSource.CreateCommand($"select {Columns}, false, null from webhook_registrations where provider_id = $1");
                command.Parameters.Add(new() { Value = id });
                return await Read(command, ct) is { } found ? Results.Ok(found.View with { Secret = null }) : WebhookAccess.NoWebhook(id);
            })
            .WithName("GetWebhook")
            .Produces<WebhookRegistrationView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The provider's webhook endpoint, without its secret");

        webhook.MapPost("/secret", async (string id, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                await using var command = dataSource.CreateCommand($"""
                    update webhook_registrations set secret = $2, secret_rotated_at = now(), updated_at = now()
                    where provider_id = $1 returning {Columns}, false, secret
                    """);
                command.Parameters.Add(new() { Value = id });
                command.Parameters.Add(new() { Value = WebhookSignature.NewSecret() });
                return await Read(command, ct) is { } rotated ? Results.Ok(rotated.View) : WebhookAccess.NoWebhook(id);
            })
            .WithMetadata(new IdempotencyMiddleware.AnswerNotKept())
            .WithName("RotateWebhookSecret")
            .Produces<WebhookRegistrationView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Replaces the signing secret at once and answers the new one, shown this once; every attempt from now on is signed with it");

        webhook.MapDelete("/", async (string id, NpgsqlDataSource dataSource, CancellationToken ct) =>
            {
                // What was still pending has nowhere to go: it is abandoned, and stays in the log.
                await using var command = dataSource.CreateCommand("""
                    with removed as (delete from webhook_registrations where provider_id = $1 returning provider_id),
                    abandoned as (
                        update webhook_deliveries d set status = 'Abandoned', settled_at = now(), locked_until = null
                        from removed where d.provider_id = removed.provider_id and d.status = 'Pending')
                    select count(*) from removed
                    """);
                command.Parameters.Add(new() { Value = id });
                return (long)(await command.ExecuteScalarAsync(ct))! > 0 ? Results.NoContent() : WebhookAccess.NoWebhook(id);
            })
            .WithName("RemoveWebhook")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Removes the provider's webhook endpoint; deliveries still pending are abandoned");

        return app;
    }

    /// <summary>Why a URL cannot be a webhook endpoint; null when it can.</summary>
    public static string? UrlProblem(string? url, bool allowHttp, WebhookAddresses addresses)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || url.Any(char.IsControl) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return "url must be an absolute https URL of at most 2,000 characters.";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            return allowHttp
                ? "url must be an http or https URL."
                : "url must be https: deliveries carry the job's details, which plain http would show to anyone on the way.";
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "url must carry no user name, password or #fragment: the signature is how the endpoint knows the sender.";
        }
        // A name is judged by what it resolves to at each connection; an address can be judged now.
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.DnsSafeHost, out var address)
            && addresses.Refusal(address) is { } refusal)
        {
            return $"url must reach a public address: {refusal}";
        }
        return null;
    }

    private static async Task<(WebhookRegistrationView View, bool Created)?> Read(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return (new WebhookRegistrationView(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(6) ? null : reader.GetString(6)),
            reader.GetBoolean(5));
    }
}

/// <summary>Who may touch a provider's webhook: the provider itself and operators (docs/domain.md "Who may do what").</summary>
public static class WebhookAccess
{
    /// <summary>
    /// The endpoints on one provider's webhook (the route's {id}): each runs only once <see cref="Check"/> has let the
    /// caller through, so no endpoint added here can forget to.
    /// </summary>
    public static RouteGroupBuilder MapProviderWebhook(this WebApplication app, string pattern)
    {
        var group = app.MapGroup(pattern).WithTags("Webhooks");
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var id = (string)http.Request.RouteValues["id"]!;
            return await Check(http.GetCaller(), id, http.RequestServices.GetRequiredService<NpgsqlDataSource>(), http.RequestAborted) is { } denied
                ? denied
                : await next(context);
        });
        return group;
    }

    /// <summary>403 for anyone else; 404 for a provider that is not registered, whoever asks.</summary>
    public static async Task<IResult?> Check(Caller caller, string providerId, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (!caller.Is(PlatformRoles.Operator) && !caller.IsParty(PlatformRoles.Provider, providerId))
        {
            return Problems.Forbidden("A repair provider manages and reads only its own webhook; operators, any provider's.");
        }
        if (!ProviderIds.IsValid(providerId))
        {
            return ProviderAccess.NoProvider(providerId);
        }
        await using var command = dataSource.CreateCommand("select exists (select 1 from providers where provider_id = $1)");
        command.Parameters.Add(new() { Value = providerId });
        return (bool)(await command.ExecuteScalarAsync(ct))! ? null : ProviderAccess.NoProvider(providerId);
    }

    public static IResult NoWebhook(string providerId) => Problems.NotFound($"Provider {providerId} has no webhook registered.");
}
