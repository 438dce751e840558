using Microsoft.AspNetCore.Builder;

namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// Marks an endpoint whose Idempotency-Key is also the id of what the request creates (a claim's, a reopen
/// request's): the documents then declare the header a UUID, which is what such an endpoint accepts.
/// </summary>
public sealed class IdempotencyKeyIsId
{
    public static readonly IdempotencyKeyIsId Instance = new();

    private IdempotencyKeyIsId()
    {
    }
}

public static class IdempotencyKeyIsIdExtensions
{
    public static TBuilder IdempotencyKeyIsId<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OpenApi.IdempotencyKeyIsId.Instance);
}
