using System.Text.Json;
using Platform.ServiceDefaults.Http;
using Xunit;

namespace Platform.Testing;

/// <summary>Reading a worklist to its end the way a client does: page after page, each from the cursor the last gave.</summary>
public static class Worklists
{
    /// <summary>Every item of <paramref name="path"/>; <paramref name="between"/> runs after each page that has a next one.</summary>
    public static async Task<List<T>> All<T>(HttpClient client, string path, JsonSerializerOptions json, Func<Task>? between = null)
    {
        var items = new List<T>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        do
        {
            using var response = await client.GetAsync(cursor is null ? path : $"{path}{separator}cursor={Uri.EscapeDataString(cursor)}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
            var page = JsonSerializer.Deserialize<Page<T>>(body, json)!;
            items.AddRange(page.Items);
            cursor = page.NextCursor;
            if (cursor is not null && between is not null)
            {
                await between();
            }
        }
        while (cursor is not null);
        return items;
    }
}
