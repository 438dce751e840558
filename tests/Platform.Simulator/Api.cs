using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;

namespace Platform.Simulator;

/// <summary>An HTTP answer: the status and the body as JSON when it is JSON.</summary>
public sealed record Answer(HttpStatusCode Status, JsonElement Body, string Text)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>
    /// An earlier try of the same request got no answer or a 5xx, so it may have been carried out: a refusal now
    /// (409) may be the service saying it is already done.
    /// </summary>
    public bool AfterUnknownOutcome { get; init; }

    /// <summary>The refusal code a 409 carries (WarrantyRuleViolation, CaseAlreadyRuled, …).</summary>
    public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var code) ? code.GetString() : null;

    public override string ToString() => $"{(int)Status} {Text}";
}

/// <summary>Something a service answered that the scenario does not allow for; the run reports it and goes on.</summary>
public sealed class UnexpectedAnswerException(string message) : Exception(message);

/// <summary>One service's API, called as any party: each call carries a bearer token for the role and id it acts as.</summary>
/// <param name="patience">
/// Null: a few quick retries, for services that are up. Otherwise how long a request is tried again while the
/// service is down, restarting, or answering 5xx because its database is.
/// </param>
/// <param name="audience">The service's audience: each token is for this service alone.</param>
public sealed class Api(string name, HttpClient http, IssuerClient tokens, string audience, TimeSpan? patience = null)
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)];
    private static readonly TimeSpan PatientBackoffAtMost = TimeSpan.FromSeconds(2);

    public string Name => name;
    public Uri? Address => http.BaseAddress;

    public Task<Answer> Get(string path, string role, string subject, CancellationToken ct) =>
        Send(HttpMethod.Get, path, role, subject, body: null, idempotencyKey: null, ct);

    /// <summary>Every item of a worklist, following its cursors; the answer is the last page's, or the first that failed.</summary>
    public async Task<(Answer Answer, List<JsonElement> Items)> GetAll(string path, string role, string subject, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        while (true)
        {
            var answer = await Get(cursor is null ? path : $"{path}{separator}cursor={Uri.EscapeDataString(cursor)}", role, subject, ct);
            if (answer.Status != HttpStatusCode.OK)
            {
                return (answer, items);
            }
            items.AddRange(answer.Body.Child("items").Items());
            if ((cursor = answer.Body.Text("nextCursor")) is null)
            {
                return (answer, items);
            }
        }
    }

    public Task<Answer> Post(string path, string role, string subject, object? body, CancellationToken ct, string? idempotencyKey = null) =>
        Send(HttpMethod.Post, path, role, subject, body, idempotencyKey, ct);

    public Task<Answer> Put(string path, string role, string subject, object? body, CancellationToken ct, string? idempotencyKey = null) =>
        Send(HttpMethod.Put, path, role, subject, body, idempotencyKey, ct);

    /// <summary>Posts and demands a success; anything else is a finding of the run.</summary>
    public async Task<Answer> Expect(string path, string role, string subject, object? body, CancellationToken ct, string? idempotencyKey = null)
    {
        var answer = await Post(path, role, subject, body, ct, idempotencyKey);
        return answer.IsSuccess || answer is { AfterUnknownOutcome: true, Status: HttpStatusCode.Conflict }
            ? answer
            : throw new UnexpectedAnswerException($"{name} POST {path} as {role} {subject}: {answer}");
    }

    /// <summary>
    /// A lost race (503, or 409 ConcurrentChange) and a connection refused are tried again: the services say
    /// nothing was done, and every command the simulator repeats is either keyed or a no-op the second time.
    /// With patience, so are a dropped connection, a timeout and any 5xx, until the patience is spent.
    /// </summary>
    private async Task<Answer> Send(HttpMethod method, string path, string role, string subject, object? body, string? idempotencyKey, CancellationToken ct)
    {
        var givingUpAt = patience is { } wait ? DateTimeOffset.UtcNow + wait : (DateTimeOffset?)null;
        var unknownOutcome = false;
        // One key for every try of this command, so a retry after a lost answer is answered, not done again.
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        for (var attempt = 0; ; attempt++)
        {
            var retry = givingUpAt is { } end ? DateTimeOffset.UtcNow < end : attempt < Backoff.Length;
            var delay = givingUpAt is null ? Backoff[Math.Min(attempt, Backoff.Length - 1)] : Min(TimeSpan.FromMilliseconds(200 * (attempt + 1)), PatientBackoffAtMost);
            try
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.TokenFor(role, subject, audience, ct));
                if (method != HttpMethod.Get)
                {
                    request.Headers.Add("Idempotency-Key", key);
                }
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                var answer = new Answer(response.StatusCode, Parse(text), text) { AfterUnknownOutcome = unknownOutcome };
                var serverError = (int)answer.Status >= 500;
                if (retry && (answer.Status == HttpStatusCode.ServiceUnavailable || answer.Code == "ConcurrentChange" || (serverError && givingUpAt is not null)))
                {
                    unknownOutcome |= serverError && answer.Status != HttpStatusCode.ServiceUnavailable;
                    await Task.Delay(delay, ct);
                    continue;
                }
                return answer;
            }
            catch (HttpRequestException e) when (retry)
            {
                // A connection never made carried nothing; one that broke may have carried the request.
                unknownOutcome |= e.HttpRequestError != HttpRequestError.ConnectionError;
                await Task.Delay(delay, ct);
            }
            catch (TaskCanceledException) when (retry && givingUpAt is not null && !ct.IsCancellationRequested)
            {
                // The client's own timeout: the service took the request and may yet carry it out.
                unknownOutcome = true;
                await Task.Delay(delay, ct);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

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

    public static decimal Amount(this JsonElement element, string property) =>
        element.Child(property) is { ValueKind: JsonValueKind.Number } value ? value.GetDecimal() : 0;

    public static bool Flag(this JsonElement element, string property) =>
        element.Child(property).ValueKind == JsonValueKind.True;

    public static Guid? Id(this JsonElement element, string property) =>
        Guid.TryParse(element.Text(property), out var id) ? id : null;
}
