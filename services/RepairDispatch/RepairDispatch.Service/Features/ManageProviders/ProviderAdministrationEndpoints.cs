using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.Providers;
using RepairDispatch.Service.ReadModels;
using System.ComponentModel.DataAnnotations;

namespace RepairDispatch.Service.Features.ManageProviders;

public sealed record RegisterProviderRequest(
    [property: Required] string? Id,
    [property: Required] IReadOnlyList<string>? Regions,
    [property: Required] IReadOnlyList<string>? Categories,
    [property: Required] int? Capacity);

public sealed record UpdateProviderRequest(
    [property: Required] IReadOnlyList<string>? Regions,
    [property: Required] IReadOnlyList<string>? Categories,
    [property: Required] int? Capacity);

public sealed record SuspendProviderRequest([property: Required] string? Reason);

/// <summary>Operators register, change, suspend and reactivate the repair providers, and list them.</summary>
public static class ProviderAdministrationEndpoints
{
    public static WebApplication MapProviderAdministration(this WebApplication app)
    {
        var providers = app.MapGroup("/providers").WithTags("Providers");

        providers.MapPost("/", (RegisterProviderRequest? body, HttpContext http, ProviderAdministration admin, ProviderBrokerUsers brokerUsers, CancellationToken ct) =>
            {
                if (NotOperator(http) is { } forbidden)
                {
                    return Task.FromResult(forbidden);
                }
                var errors = Terms(body?.Regions, body?.Categories, body?.Capacity);
                if (!ProviderIds.IsValid(body?.Id))
                {
                    errors["id"] = [$"A provider id is {ProviderIds.Rule}."];
                }
                return errors.Count > 0
                    ? Task.FromResult<IResult>(Results.ValidationProblem(errors))
                    : admin.Run("register-provider", body!.Id!, now => new ProviderCommand.RegisterProvider(body.Id!, body.Regions!, body.Categories!, body.Capacity!.Value, now),
                        created: true, ct, async (view, ct) => view with { BrokerCredentials = await brokerUsers.Ensure(view.ProviderId, ct) });
            })
            .WithMetadata(new IdempotencyMiddleware.AnswerNotKept())
            .WithName("RegisterProvider")
            .Produces<ProviderView>(StatusCodes.Status201Created)
            .Produces<ProviderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Registers a provider (operators) with its own broker user, whose password the answer shows this once; registering the same terms again changes nothing");

        providers.MapDelete("/{id}", (string id, HttpContext http, ProviderAdministration admin, ProviderBrokerUsers brokerUsers, CancellationToken ct) =>
                NotOperator(http) is { } forbidden ? Task.FromResult(forbidden)
                : admin.Run("remove-provider", id, now => new ProviderCommand.SuspendProvider(id, RemovedReason, now), created: false, ct,
                    async (view, ct) =>
                    {
                        await brokerUsers.Remove(view.ProviderId, ct);
                        return view;
                    }))
            .WithName("RemoveProvider")
            .Produces<ProviderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Removes a provider (operators): suspended, so it gets no new job, and its broker user deleted, which closes its connections");

        providers.MapPost("/{id}/broker-credentials", async (string id, HttpContext http, NpgsqlDataSource dataSource, RepairDispatchPolicy policy,
                ProviderBrokerUsers brokerUsers, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Operator) && !caller.IsParty(PlatformRoles.Provider, id))
                {
                    return caller.Is(PlatformRoles.Provider) ? ProviderAccess.NoProvider(id) : Problems.Forbidden("Only operators and the provider itself issue its broker password.");
                }
                if (!ProviderIds.IsValid(id) || await ProviderReadModel.Get(dataSource, id, policy.QualityScore, ct) is not { Status: ProviderStatus.Active })
                {
                    return ProviderAccess.NoProvider(id);
                }
                return await ProviderAdministration.OnBroker(async () => Results.Ok(await brokerUsers.IssuePassword(id, ct)));
            })
            .WithMetadata(new IdempotencyMiddleware.AnswerNotKept())
            .WithName("IssueBrokerPassword")
            .Produces<BrokerCredentials>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A new password for the provider's broker user, shown this once (operators, or the provider itself): how a provider rotates it");

        providers.MapPut("/{id}", (string id, UpdateProviderRequest? body, HttpContext http, ProviderAdministration admin, CancellationToken ct) =>
            {
                if (NotOperator(http) is { } forbidden)
                {
                    return Task.FromResult(forbidden);
                }
                var errors = Terms(body?.Regions, body?.Categories, body?.Capacity);
                return errors.Count > 0
                    ? Task.FromResult<IResult>(Results.ValidationProblem(errors))
                    : admin.Run("update-provider", id, now => new ProviderCommand.UpdateProvider(id, body!.Regions!, body.Categories!, body.Capacity!.Value, now), created: false, ct);
            })
            .WithName("UpdateProvider")
            .Produces<ProviderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Changes a provider's regions, categories and capacity (operators)");

        providers.MapPost("/{id}/suspend", (string id, SuspendProviderRequest? body, HttpContext http, ProviderAdministration admin, CancellationToken ct) =>
                NotOperator(http) is { } forbidden ? Task.FromResult(forbidden)
                : string.IsNullOrWhiteSpace(body?.Reason) ? Task.FromResult(Problems.Invalid("reason", "Say why the provider is suspended."))
                : admin.Run("suspend-provider", id, now => new ProviderCommand.SuspendProvider(id, body.Reason.Trim(), now), created: false, ct))
            .WithName("SuspendProvider")
            .Produces<ProviderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Stops dispatching new jobs to a provider (operators)");

        providers.MapPost("/{id}/reactivate", (string id, HttpContext http, ProviderAdministration admin, CancellationToken ct) =>
                NotOperator(http) is { } forbidden ? Task.FromResult(forbidden)
                : admin.Run("reactivate-provider", id, now => new ProviderCommand.ReactivateProvider(id, now), created: false, ct))
            .WithName("ReactivateProvider")
            .Produces<ProviderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Dispatches to a suspended provider again, its earlier breaches forgiven (operators)");

        providers.MapGet("/", async (HttpContext http, NpgsqlDataSource dataSource, RepairDispatchPolicy policy, CancellationToken ct) =>
                NotOperator(http) ?? Results.Ok(await ProviderReadModel.List(dataSource, policy.QualityScore, ct)))
            .WithName("ListProviders")
            .Produces<IReadOnlyList<ProviderView>>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Every provider with its status, open jobs and quality score (operators)");

        providers.MapGet("/{id}", async (string id, HttpContext http, NpgsqlDataSource dataSource, RepairDispatchPolicy policy, CancellationToken ct) =>
                NotOperator(http) ?? (await ProviderReadModel.Get(dataSource, id, policy.QualityScore, ct) is { } provider
                    ? Results.Ok(provider)
                    : ProviderAccess.NoProvider(id)))
            .WithName("GetProvider")
            .Produces<ProviderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One provider with its status, open jobs and quality score (operators)");

        return app;
    }

    /// <summary>Why a removed provider is suspended: reactivating it gives it jobs again, but no broker user until a password is issued.</summary>
    public const string RemovedReason = "Removed by an operator: its broker user is deleted.";

    private static IResult? NotOperator(HttpContext http) => ProviderAccess.NotOperator(http.GetCaller());

    /// <summary>The terms of service named field by field, before the decider sees them.</summary>
    private static Dictionary<string, string[]> Terms(IReadOnlyList<string>? regions, IReadOnlyList<string>? categories, int? capacity)
    {
        var errors = new Dictionary<string, string[]>();
        if (regions is not { Count: > 0 } || regions.Any(string.IsNullOrWhiteSpace))
        {
            errors["regions"] = ["Name one or more regions served, each by its province code."];
        }
        if (categories is not { Count: > 0 } || categories.Any(string.IsNullOrWhiteSpace))
        {
            errors["categories"] = ["Name one or more categories served."];
        }
        if (capacity is not >= 1)
        {
            errors["capacity"] = ["Capacity is how many jobs the provider holds at once: a whole number of at least 1."];
        }
        return errors;
    }
}

/// <summary>Runs an operator's command on a provider's stream and answers with the provider as it now stands.</summary>
public sealed class ProviderAdministration(RequestPipeline pipeline, ProviderStream providers, RepairDispatchPolicy policy, TimeProvider clock)
{
    /// <param name="onBroker">What the provider's broker user needs once the command is committed; every step of it is idempotent, so
    /// a retry after the broker failed does it again.</param>
    public async Task<IResult> Run(string handler, string providerId, Func<DateTimeOffset, ProviderCommand> command, bool created, CancellationToken ct,
        Func<ProviderView, CancellationToken, Task<ProviderView>>? onBroker = null)
    {
        if (!ProviderIds.IsValid(providerId))
        {
            return ProviderAccess.NoProvider(providerId);
        }
        ProviderView? committed = null;
        var isNew = false;
        var answer = await pipeline.Run(handler, async (work, ct) =>
        {
            committed = null;
            var handled = await work.Handle(providers.Aggregate, ProviderStream.StreamId(providerId),
                provider => ProviderDecider.Decide(command(clock.GetUtcNow()), provider, policy), ct);
            if (handled.Refusal is { } refusal)
            {
                return refusal.Is(RepairDispatchRefusalCode.ProviderNotFound) ? ProviderAccess.NoProvider(providerId) : Problems.Refused(refusal);
            }
            committed = await ProviderReadModel.Get(work.Session, providerId, policy.QualityScore, ct);
            isNew = created && handled.Decision.Events.Count > 0;
            return Answer(committed, isNew);
        }, ct, finalAnswer: onBroker is null);
        if (onBroker is null || committed is null || answer is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK or StatusCodes.Status201Created })
        {
            return answer;
        }
        var view = committed;
        return await OnBroker(async () => Answer(await onBroker(view, ct), isNew));
    }

    private static IResult Answer(ProviderView? view, bool isNew) =>
        isNew ? Results.Created($"/providers/{view?.ProviderId}", view) : Results.Ok(view);

    /// <summary>
    /// The broker's management API down, refusing or slower than RepairDispatch:BrokerUsers:Timeout is the platform's
    /// trouble, not the caller's: 503, to be sent again. (HttpClient reports its timeout as a cancellation around a
    /// TimeoutException, which is not the caller going away.)
    /// </summary>
    public static async Task<IResult> OnBroker(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is BrokerManagementException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Broker unavailable",
                detail: $"The provider is recorded, but its broker user could not be brought up to date; send the request again. ({e.Message})");
        }
    }
}
