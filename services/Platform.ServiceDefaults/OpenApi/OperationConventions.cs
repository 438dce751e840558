using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.ServiceDefaults.Http;

namespace Platform.ServiceDefaults.OpenApi;

/// <summary>
/// What every operation of every service answers whatever its endpoint declares, written once here from
/// the same rules the request pipeline applies, so that a new endpoint is described right without
/// repeating them: the bearer requirement, 401 and 429 (authentication and the rate limiter run before
/// any endpoint), 503 (the database away, or a race lost <see cref="RequestPipeline.Attempts"/> times),
/// 400 where there is anything to read, 413 where there is a body, and where <see cref="IdempotencyMiddleware.RequiresKey"/> says
/// so the Idempotency-Key header with its 409 and 422. An endpoint without a tag of its own is tagged by
/// its resource (<see cref="PlatformOpenApi.ResourceTag"/>).
/// </summary>
internal sealed class OperationConventions : IOpenApiOperationTransformer
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("Operations are described within a document.");
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? HttpMethods.Get;

        if (!metadata.OfType<ITagsMetadata>().Any())
        {
            operation.Tags = new HashSet<OpenApiTagReference> { new(PlatformOpenApi.ResourceTag(description.RelativePath ?? ""), document) };
        }
        operation.Responses ??= [];
        // Bodies are bound as nullable so that the endpoint answers a missing one with a 400 naming it; a client sends the object.
        foreach (var content in operation.RequestBody?.Content?.Values ?? [])
        {
            if (content.Schema is OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, var body] })
            {
                content.Schema = body;
            }
        }
        if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
        {
            return;
        }

        var problem = await Component(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ProblemSchema, context, cancellationToken);
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PlatformOpenApi.BearerScheme, document)] = [] }];
        Answer(operation, StatusCodes.Status401Unauthorized, problem, "No valid bearer token for this service: none, expired, revoked, or for another audience.");
        Answer(operation, StatusCodes.Status429TooManyRequests, problem, "This caller sent more requests than its window allows; Retry-After says when to send again.",
            retryAfter: true);
        Answer(operation, StatusCodes.Status503ServiceUnavailable, problem, "Briefly unavailable (the database did not answer, or what the request acts on kept changing); send it again.",
            retryAfter: true);

        var requiresKey = IdempotencyMiddleware.RequiresKey(method, metadata);
        if (requiresKey)
        {
            var isId = metadata.OfType<IdempotencyKeyIsId>().Any();
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Names this request: a retry after a lost answer sends the same key and gets the first answer again, acting nothing twice."
                    + (isId ? " Here it is also the id of what the request creates: a UUID." : ""),
                Schema = isId
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }
                    : new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyMiddleware.MaxKeyLength },
                Example = JsonValue.Create("7d3f6a52-2f3e-4c55-9b1e-0a9f4be1c2d1"),
            });
            Answer(operation, StatusCodes.Status409Conflict, problem,
                $"Refused (the problem's `code` says why), or a request with this {IdempotencyMiddleware.Header} is still being handled (`{IdempotencyMiddleware.InProgressCode}`).");
            Answer(operation, StatusCodes.Status422UnprocessableEntity, problem,
                $"Refused as sent (the problem's `code` says why): this {IdempotencyMiddleware.Header} was used for another request (`{IdempotencyMiddleware.KeyReusedCode}`), or the request breaks a rule of its own.");
        }
        if (operation.RequestBody is not null)
        {
            Answer(operation, StatusCodes.Status413PayloadTooLarge, problem,
                $"The body is larger than this service reads ({PlatformSettings.DefaultMaxRequestBytes / 1024 / 1024} MiB unless its operator set another limit).");
        }
        if (requiresKey || operation.RequestBody is not null || operation.Parameters is { Count: > 0 })
        {
            var validation = await Component(typeof(HttpValidationProblemDetails), ValidationProblemSchema, context, cancellationToken);
            Answer(operation, StatusCodes.Status400BadRequest, validation, "The request cannot be read or is invalid; `errors` names each field and what is wrong with it.");
        }
    }

    /// <summary>Adds a problem answer the endpoint did not declare itself; a declared one keeps its schema and gets the description.</summary>
    private static void Answer(OpenApiOperation operation, int status, IOpenApiSchema schema, string description, bool retryAfter = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var declared) && declared is OpenApiResponse own)
        {
            if (string.IsNullOrEmpty(own.Description) || own.Description == ReasonPhrase(status))
            {
                own.Description = description;
            }
            return;
        }
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/problem+json"] = new() { Schema = schema } },
        };
        if (retryAfter)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before sending again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
        }
        operation.Responses[key] = response;
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    /// <summary>The shared schema of a problem type, in the document's components once.</summary>
    private static async Task<IOpenApiSchema> Component(Type type, string id, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, ct));
        }
        return new OpenApiSchemaReference(id, document);
    }
}
