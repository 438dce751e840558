using System.Net;
using System.Text.Json.Nodes;
using Platform.ServiceDefaults.OpenApi;

namespace Platform.ApiClients.Tests;

/// <summary>
/// Each service serves, without a token, the document that is committed (so the generated clients are clients of
/// what runs) and a reference page over it; and every operation in every document says what a client generator
/// needs: a tag, an operation id, a typed success body, the bearer requirement and 401, problem details on every
/// error, the Idempotency-Key where the middleware asks for it, and no schema left untyped.
/// </summary>
public sealed class DocumentTests(RunningPlatform platform) : IClassFixture<RunningPlatform>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static TheoryData<string> Services => [.. Documents.Services];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_service_serves_the_committed_document_to_anyone(string service)
    {
        using var anonymous = platform.Services[service].Anonymous();
        var response = await anonymous.GetAsync(PlatformOpenApi.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = Documents.Format(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);

        var path = Documents.PathOf(service);
        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : null;
        if (committed != served && Documents.Updating)
        {
            System.IO.Directory.CreateDirectory(Documents.Directory);
            await File.WriteAllTextAsync(path, served);
            return;
        }
        Assert.True(committed == served, $"docs/integrating/openapi/{service}.json is {(committed is null ? "missing" : "not what the service serves")}. {Documents.HowToRegenerate}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_service_serves_its_reference_page_to_anyone(string service)
    {
        using var anonymous = platform.Services[service].Anonymous();
        var page = await anonymous.GetAsync(PlatformOpenApi.ReferencePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // Scalar names the document relative to the site's root.
        Assert.Contains($"\"{PlatformOpenApi.DocumentPath.TrimStart('/')}\"", html, StringComparison.Ordinal);
        // The page's script is served by the service itself: the reference works where no CDN can be reached.
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), "the page loads a script");
        Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), $"the page's script {script} is served by the service");
        var scriptResponse = await anonymous.GetAsync(new Uri(new Uri(platform.Services[service].Address, PlatformOpenApi.ReferencePath + "/"), script));
        Assert.Equal(HttpStatusCode.OK, scriptResponse.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_operation_says_what_a_client_needs(string service)
    {
        var document = Documents.Committed(service);
        var problems = new List<string>();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
            {
                var operation = node!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                if (operation["tags"] is not JsonArray { Count: > 0 } tags || tags.Any(t => t!.GetValue<string>().EndsWith("Endpoint", StringComparison.Ordinal) || t!.GetValue<string>().EndsWith("Endpoints", StringComparison.Ordinal)))
                {
                    problems.Add($"{name}: no resource tag");
                }
                if (operation["operationId"]?.GetValue<string>() is not { Length: > 0 } id)
                {
                    problems.Add($"{name}: no operationId (.WithName)");
                }
                else if (!operationIds.Add(id))
                {
                    problems.Add($"{name}: operationId {id} is used twice");
                }
                var responses = operation["responses"]!.AsObject();
                var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
                if (successes.Count == 0)
                {
                    problems.Add($"{name}: no 2xx response");
                }
                foreach (var (status, response) in successes.Where(r => r.Key != "204"))
                {
                    if (response?["content"]?["application/json"]?["schema"] is null)
                    {
                        problems.Add($"{name}: {status} has no JSON body schema (a bodiless success is 204: .Produces(204))");
                    }
                }
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    if (response?["content"]?["application/problem+json"]?["schema"] is null)
                    {
                        problems.Add($"{name}: {status} is not problem details");
                    }
                }
                if (!responses.ContainsKey("401"))
                {
                    problems.Add($"{name}: no 401");
                }
                if (operation["security"] is not JsonArray { Count: > 0 } security || security[0]?[PlatformOpenApi.BearerScheme] is null)
                {
                    problems.Add($"{name}: no bearer security requirement");
                }
                var keyed = operation["parameters"] is JsonArray parameters && parameters.Any(p =>
                    p?["in"]?.GetValue<string>() == "header" && p["name"]?.GetValue<string>() == "Idempotency-Key" && p["required"]?.GetValue<bool>() == true);
                if (keyed != method is "post" or "put" or "patch" or "delete")
                {
                    problems.Add($"{name}: Idempotency-Key is {(keyed ? "declared on a read" : "not declared as a required header")}");
                }
            }
        }
        problems.AddRange(UntypedSchemas(document));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Schemas that say nothing of their type: a client generator can only make them "object".</summary>
    private static IEnumerable<string> UntypedSchemas(JsonObject document)
    {
        var found = new List<string>();
        void Visit(JsonNode? node, string where)
        {
            if (node is JsonObject schema)
            {
                var typed = schema.ContainsKey("type") || schema.ContainsKey("$ref") || schema.ContainsKey("oneOf") || schema.ContainsKey("anyOf")
                    || schema.ContainsKey("allOf") || schema.ContainsKey("enum") || schema.ContainsKey("const");
                if (!typed)
                {
                    found.Add($"{where}: untyped schema {schema.ToJsonString()}");
                }
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        Visit(property, $"{where}.{name}");
                    }
                }
                if (schema["items"] is { } items)
                {
                    Visit(items, $"{where}[]");
                }
                if (schema["additionalProperties"] is JsonObject additional)
                {
                    Visit(additional, $"{where}{{}}");
                }
            }
        }
        foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            Visit(schema, name);
        }
        return found;
    }
}
