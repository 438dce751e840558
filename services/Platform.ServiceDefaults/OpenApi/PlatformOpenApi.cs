using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// Each service's OpenAPI document and its browsable reference, both readable without a token: they
/// describe the API and hold no data. What every operation shares (the bearer scheme, 401, 429, the
/// Idempotency-Key, problem details, a tag per resource) is added here by convention
/// (<see cref="OperationConventions"/>, <see cref="SchemaConventions"/>); an endpoint declares only
/// what is its own: its name, its success body and the refusals it answers (403, 404, 409).
/// </summary>
public static class PlatformOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    /// <summary>The security scheme's name in every document: a JWT from the issuer in the Authorization header.</summary>
    public const string BearerScheme = "Bearer";

    internal static IServiceCollection AddPlatformOpenApi(this IServiceCollection services, string serviceName)
    {
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<SchemaConventions>();
            options.AddOperationTransformer<OperationConventions>();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = $"{serviceName} service";
                document.Info.Description =
                    $"The {serviceName} service of the after-sales warranty platform. Every operation but this document needs a bearer token " +
                    $"from the platform's issuer (client credentials) with the audience `{serviceName}`; every POST, PUT, PATCH and DELETE " +
                    "carries an Idempotency-Key. Errors are RFC 9457 problem details with a `code` a program can act on.";
                // No server address: the document is read where the service is (a replica, a gateway, a test's port),
                // and paths resolve against that; a client is given its base address.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = $"An access token from the platform's issuer for the audience `{serviceName}`, carrying the caller's `role` and `sub`.",
                };
                // A refused message's body is kept as the JSON it was, and every message is a JSON object.
                if (document.Components.Schemas?.TryGetValue(nameof(System.Text.Json.JsonElement), out var raw) == true && raw is OpenApiSchema { Type: null } any)
                {
                    any.Type = JsonSchemaType.Object;
                    any.Description = "A message as it was sent: any JSON object.";
                }
                SchemaConventions.RequiredIsNeverNull(document);
                // Operations are tagged by resource (OperationConventions); the document lists exactly those tags, sorted.
                document.Tags = new HashSet<OpenApiTag>(
                    (document.Paths ?? [])
                        .SelectMany(path => path.Value.Operations ?? [])
                        .SelectMany(operation => operation.Value.Tags ?? new HashSet<OpenApiTagReference>())
                        .Select(tag => tag.Name)
                        .OfType<string>()
                        .Distinct(StringComparer.Ordinal)
                        .Order(StringComparer.Ordinal)
                        .Select(name => new OpenApiTag { Name = name }));
                return Task.CompletedTask;
            });
        });
        return services;
    }

    internal static void MapPlatformOpenApi(this WebApplication app, string serviceName)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle($"{serviceName} service API")
                .WithOpenApiRoutePattern(DocumentPath)
                .AddPreferredSecuritySchemes(BearerScheme))
            .AllowAnonymous();
    }

    /// <summary>The tag of an endpoint that names none: its resource, the route's first segment ("/claims/{id}/accept": Claims).</summary>
    public static string ResourceTag(string route)
    {
        var segment = route.TrimStart('/').Split('/', 2)[0].Replace('-', ' ');
        return segment.Length == 0 ? "Service" : char.ToUpperInvariant(segment[0]) + segment[1..];
    }
}
