using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>An HTTP answer: the status and the body as JSON when it is JSON.</summary>
public sealed record Answer(HttpStatusCode Status, JsonElement Body, string Text)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The refusal code a 409 carries (WarrantyRuleViolation, CaseAlreadyRuled, …).</summary>
    public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var code) ? code.GetString() : null;

    public override string ToString() => $"{(int)Status} {Text}";
}

/// <summary>Something a service answered that the scenario does not allow for; the run reports it and goes on.</summary>
public sealed class UnexpectedAnswerException(string message) : Exception(message);

/// <summary>One service's API, called as any party: each call carries a bearer token for the role and id it acts as.</summary>
public sealed class Api(string name, HttpClient http, TokenIssuer tokens)
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)];
    private readonly ConcurrentDictionary<(string Role, string Subject), string> issued = new();

    public string Name => name;
    public Uri? Address => http.BaseAddress;

    public Task<Answer> Get(string path, string role, string subject, CancellationToken ct) =>
        Send(HttpMethod.Get, path, role, subject, body: null, idempotencyKey: null, ct);

    public Task<Answer> Post(string path, string role, string subject, object? body, CancellationToken ct, string? idempotencyKey = null) =>
        Send(HttpMethod.Post, path, role, subject, body, idempotencyKey, ct);

    /// <summary>Posts and demands a success; anything else is a finding of the run.</summary>
    public async Task<Answer> Expect(string path, string role, string subject, object? body, CancellationToken ct, string? idempotencyKey = null)
    {
        var answer = await Post(path, role, subject, body, ct, idempotencyKey);
        return answer.IsSuccess ? answer : throw new UnexpectedAnswerException($"{name} POST {path} as {role} {subject}: {answer}");
    }

    /// <summary>
    /// A lost race (503, or 409 ConcurrentChange) and a connection refused are tried again: the services say
    /// nothing was done, and every command the simulator repeats is either keyed or a no-op the second time.
    /// </summary>
    private async Task<Answer> Send(HttpMethod method, string path, string role, string subject, object? body, string? idempotencyKey, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var retry = attempt < Backoff.Length;
            try
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issued.GetOrAdd((role, subject), key => tokens.Issue(key.Role, key.Subject)));
                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                var answer = new Answer(response.StatusCode, Parse(text), text);
                if (retry && (answer.Status == HttpStatusCode.ServiceUnavailable || answer.Code == "ConcurrentChange"))
                {
                    await Task.Delay(Backoff[attempt], ct);
                    continue;
                }
                return answer;
            }
            catch (HttpRequestException) when (retry)
            {
                await Task.Delay(Backoff[attempt], ct);
            }
        }
    }

    private static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text[0] is not ('{' or '['))
        {
            return default;
        }
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>The four services' APIs.</summary>
public sealed class Apis(Api order, Api warranty, Api repairDispatch, Api arbitration)
{
    public Api Order => order;
    public Api Warranty => warranty;
    public Api RepairDispatch => repairDispatch;
    public Api Arbitration => arbitration;
    public IEnumerable<Api> All => [order, warranty, repairDispatch, arbitration];
}

/// <summary>Reading the answers' JSON without a copy of every service's view types.</summary>
public static class JsonReading
{
    public static string? Text(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement Child(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    public static int Int(this JsonElement element, string property) =>
        element.Child(property) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : 0;

    public static bool Flag(this JsonElement element, string property) =>
        element.Child(property).ValueKind == JsonValueKind.True;

    public static Guid? Id(this JsonElement element, string property) =>
        Guid.TryParse(element.Text(property), out var id) ? id : null;
}
