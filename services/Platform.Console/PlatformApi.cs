using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Console;

/// <summary>What a service answered: its status and body, or that the caller holds no token for it.</summary>
public sealed record ApiAnswer(int Status, JsonElement Body)
{
    public static ApiAnswer NoToken { get; } = new(0, default);

    public bool Ok => Status is >= 200 and < 300;

    public string? Str(string property) => Ok && Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Every item of a worklist, page after page, or the answer that stopped the paging.</summary>
public sealed record WorklistAnswer(IReadOnlyList<JsonElement> Items, ApiAnswer? Failure, bool Truncated);

/// <summary>
/// The four services' HTTP APIs, called as the signed-in party: the APIs' own authorization decides what each
/// role sees and may do, so the console never holds a rule of its own about who may see what.
/// </summary>
public sealed class PlatformApi(IHttpClientFactory clients, ConsoleSessions sessions, ConsoleSettings settings, IHttpContextAccessor context)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public ConsoleSession Session => sessions.Find(context.HttpContext?.User.FindFirst(ConsoleSessions.SessionClaim)?.Value)
        ?? throw new InvalidOperationException("No console session: the page needs a signed-in caller.");

    public Task<ApiAnswer> Get(PlatformService service, string path, CancellationToken ct) => Send(service, HttpMethod.Get, path, null, null, ct);

    /// <param name="idempotencyKey">The form's own key, so a form sent twice acts once.</param>
    public Task<ApiAnswer> Post(PlatformService service, string path, object? body, string idempotencyKey, CancellationToken ct) =>
        Send(service, HttpMethod.Post, path, body ?? new { }, idempotencyKey, ct);

    /// <summary>Every page of a worklist (`{items, nextCursor}`), up to the board's page limit.</summary>
    public async Task<WorklistAnswer> All(PlatformService service, string path, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        for (var page = 0; page < settings.MaxBoardPages; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var answer = await Get(service, cursor is null ? path : $"{path}{separator}cursor={Uri.EscapeDataString(cursor)}", ct);
            if (!answer.Ok)
            {
                return new WorklistAnswer(items, answer, false);
            }
            items.AddRange(answer.Body.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = answer.Str("nextCursor");
            if (cursor is null)
            {
                return new WorklistAnswer(items, null, false);
            }
        }
        return new WorklistAnswer(items, null, true);
    }

    private async Task<ApiAnswer> Send(PlatformService service, HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        string? token;
        try
        {
            token = await sessions.Token(Session, service, ct);
        }
        catch (HttpRequestException)
        {
            // The issuer would not renew the token: the client was revoked, or the issuer is away.
            return new ApiAnswer(401, default);
        }
        if (token is null)
        {
            return ApiAnswer.NoToken;
        }
        using var request = new HttpRequestMessage(method, new Uri(service.Address, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add(IdempotencyHeader, idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        try
        {
            using var response = await clients.CreateClient(service.Name).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? JsonDocument.Parse(text).RootElement.Clone()
                : default;
            return new ApiAnswer((int)response.StatusCode, json);
        }
        // No answer within Console__ApiTimeoutSeconds (the client's own cancellation) is as unavailable as a refused connection.
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new ApiAnswer(503, default);
        }
    }
}
