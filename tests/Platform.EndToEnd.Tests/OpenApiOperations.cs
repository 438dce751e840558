using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.EndToEnd.Tests;

/// <summary>The operations a service publishes in its OpenAPI document, as "METHOD /path/{name}".</summary>
public static class OpenApiOperations
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    /// <param name="client">Any authenticated caller: the document is served to every token.</param>
    public static async Task<IReadOnlyList<string>> Read(HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return [.. document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => Methods.Contains(operation.Name))
                .Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))];
    }
}
