using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Platform.Contracts.Trade.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Xunit.Abstractions;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Property-based fuzzing of every operation (those of the access matrix, which the coverage test ties to
/// the OpenAPI documents), called by a role the matrix permits on a real resource of its own, so that input
/// gets past the door to the checks and the storage behind it. Whatever the body, route values or query:
/// never a 5xx, and a 4xx is problem details. Hostile text that is accepted comes back exactly as sent.
/// </summary>
public sealed partial class HttpFuzzTests(AccessMatrixFixture world, ITestOutputHelper output) : IClassFixture<AccessMatrixFixture>
{
    private const int RunsPerOperation = 25;

    /// <summary>Kestrel's limit on the request line, less the method and protocol.</summary>
    private const int MaxRequestLine = 8 * 1024 - 32;

    /// <summary>What an attacker or a broken client puts where text belongs.</summary>
    private static readonly string[] HostileText =
    [
        "'; drop table events; --",
        "\" or 1=1; delete from outbox where \"\"=\"",
        "1); truncate inbox cascade; --",
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\system32\\config\\sam",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "<script>alert(1)</script>",
        "{{7*7}} ${jndi:ldap://x/a}",
        "line\r\nInjected-Header: yes",
        "\u202Egnp.exe",
        "😀👨‍👩‍👧 中文 العربية",
        "a\u0000b",
        "\ud800",
        " ",
        new string('x', 5000),
    ];

    private static readonly Gen<string> Text = Gen.Frequency(
        (2, Gen.Elements(HostileText)),
        (2, Gen.Choose(0, 0xFFFF).Select(c => (char)c).ArrayOf().Select(chars => new string(chars))),
        (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)));

    /// <summary>JSON values of every kind, written as text so that ones no serializer would write (1e400) are sent too.</summary>
    private static readonly Gen<string> JsonValue = Gen.OneOf(
        Text.Select(JsonString),
        Gen.Elements("null", "true", "false", "0", "-1", "1e400", "-0.0", "123456789012345678901234567890", "3.14159", "[]", "{}",
            "[null]", "[1, \"a\", {}]", "{\"$type\": \"System.IO.FileInfo\"}", "\"2024-02-30T25:61:00Z\"", "\"00000000-0000-0000-0000-000000000000\""),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static TheoryData<string> Rows => [.. AccessMatrixTests.Matrix.Select(r => r.Key)];

    /// <summary>One request's worth of hostility: which property to change and how, or a whole body; route and query values.</summary>
    private sealed record Fuzz(int Property, bool Remove, string Value, string? WholeBody, string? RouteValue, string? QueryValue, bool EveryProperty = false)
    {
        public override string ToString() =>
            $"{(EveryProperty ? "every property" : $"property #{Property}")} {(Remove ? "removed" : "= " + Short(Value))}; body {Short(WholeBody)}; route {Short(RouteValue)}; query {Short(QueryValue)}";

        private static string Short(string? text) => text is null ? "as is" : JsonSerializer.Serialize(text.Length > 80 ? text[..80] + "…" : text);
    }

    private static readonly Gen<Fuzz> Fuzzes =
        from property in Gen.Choose(0, 12)
        from remove in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        from value in JsonValue
        from whole in Gen.Frequency(
            (6, Gen.Constant<string?>(null)),
            (1, JsonValue.Select(v => (string?)v)),
            (1, Text.Select(t => (string?)t)))
        from route in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Text.Select(t => (string?)t)))
        from query in Gen.Frequency((1, Gen.Constant<string?>(null)), (1, Text.Select(t => (string?)t)))
        select new Fuzz(property, remove, value, whole, route, query);

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Whatever_a_permitted_caller_sends_the_answer_is_never_a_5xx_and_a_4xx_is_problem_details(string key)
    {
        var row = AccessMatrixTests.Matrix.Single(r => r.Key == key);
        var (role, asOwner, kind) = AccessMatrixTests.Permitted(row)!.Value;
        var subjects = world.Subjects[role];
        var client = world.Client(row.Service, role, asOwner ? subjects.Own : subjects.Other);
        var resource = world.Pool(kind)[0];
        var (method, template) = (row.Operation.Split(' ')[0], row.Operation.Split(' ')[1]);
        var queryNames = await QueryParameters(row);
        var sent = 0;

        void Send(Fuzz fuzz)
        {
            var path = RouteValue().Replace(template, m => Uri.EscapeDataString(fuzz.RouteValue ?? resource[m.Groups[1].Value]));
            if (fuzz.QueryValue is { } query && queryNames.Count > 0)
            {
                path += "?" + string.Join('&', queryNames.Select(name => $"{name}={Uri.EscapeDataString(query)}"));
            }
            var content = method == "GET" ? null : fuzz.WholeBody ?? Mutated(AccessMatrixTests.Body(row.Operation, resource, role), fuzz);
            HttpResponseMessage Answer()
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content is null ? null : Json(content) };
                sent++;
                return client.SendAsync(request).GetAwaiter().GetResult();
            }
            // A 503 with Retry-After says the database did not answer, which no input causes: a client tries again,
            // and so does this test, once. An input that makes the service fail answers so every time.
            HttpResponseMessage AnswerTriedAgain()
            {
                var first = Answer();
                if (first.StatusCode != HttpStatusCode.ServiceUnavailable || first.Headers.RetryAfter?.Delta is not { } wait)
                {
                    return first;
                }
                first.Dispose();
                Thread.Sleep(wait);
                return Answer();
            }
            using var response = AnswerTriedAgain();
            var status = (int)response.StatusCode;
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            // The HTTP server itself refuses a NUL in the request target, or a request line longer than it
            // reads, before any endpoint could answer.
            if (path.Split('?')[0].Contains("%00", StringComparison.Ordinal) || path.Length > MaxRequestLine)
            {
                Assert.True(status is 400 or 414, $"{key} answered {status} to a request target the server cannot take: {fuzz}");
                return;
            }
            Assert.True(status < 500, $"{key} answered {status} to {fuzz}: {body}");
            Assert.True(status < 400 || response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{key} answered {status} as {response.Content.Headers.ContentType?.MediaType}, not problem details, to {fuzz}: {body}");
        }

        // Every known hostile text everywhere at once, then what FsCheck makes of it.
        foreach (var hostile in HostileText)
        {
            Send(new Fuzz(0, Remove: false, JsonString(hostile), WholeBody: null, RouteValue: null, QueryValue: null, EveryProperty: true));
            Send(new Fuzz(0, Remove: false, "null", WholeBody: null, RouteValue: hostile, QueryValue: hostile));
        }
        Prop.ForAll(Fuzzes.ToArbitrary(), fuzz =>
        {
            Send(fuzz);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(RunsPerOperation));
        output.WriteLine($"{key}: {sent} requests as {role}");
    }

    [Fact]
    public async Task Hostile_text_in_evidence_and_claims_is_kept_exactly_as_sent_or_refused_and_nothing_is_executed()
    {
        var database = await DatabaseShape();
        var caseId = world.Pool("merchant's case")[0]["caseId"];
        var line = world.Pool("unclaimed line")[0];
        var arbitration = world.Client("arbitration", PlatformRoles.Buyer, world.BuyerA);
        var warranty = world.Client("warranty", PlatformRoles.Buyer, world.BuyerA);
        var (kept, refused) = (0, 0);

        Prop.ForAll(Text.ToArbitrary(), text =>
        {
            using var evidence = arbitration.PostAsync($"/cases/{caseId}/evidence", Json($$"""{"statement": {{JsonString(text)}}, "links": []}""")).GetAwaiter().GetResult();
            if (Answered(evidence, text))
            {
                var view = arbitration.GetFromJsonAsync<JsonElement>($"/cases/{caseId}").GetAwaiter().GetResult();
                Assert.Contains(view.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("statement").GetString() == text);
                kept++;
            }
            else
            {
                refused++;
            }

            using var claim = warranty.PostAsync("/claims", Json($$"""
                {"orderId": {{JsonString(line["orderId"])}}, "lineId": {{JsonString(line["lineId"])}}, "fault": "QualityFault",
                 "faultDescription": {{JsonString(text)}}, "remedyAsked": "Return"}
                """)).GetAwaiter().GetResult();
            if (Answered(claim, text))
            {
                var claimId = claim.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult().GetProperty("claimId").GetGuid();
                var view = warranty.GetFromJsonAsync<JsonElement>($"/claims/{claimId}").GetAwaiter().GetResult();
                // Warranty keeps free text without the white space around it (Validation.Text), and nothing else changed.
                Assert.Equal(text.Trim(), view.GetProperty("faultDescription").GetString());
                kept++;
            }
            else
            {
                refused++;
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

        output.WriteLine($"{kept} kept exactly, {refused} refused");
        Assert.True(kept > 0, "no hostile text was accepted, so nothing showed it is kept as sent");
        Assert.Equal(database, await DatabaseShape());
    }

    [Fact]
    public async Task Hostile_ids_and_names_from_the_trade_system_are_kept_exactly_and_read_back_by_their_id()
    {
        var database = await DatabaseShape();
        var orderId = $"'; drop table events; -- {Guid.NewGuid():N}";
        var line = new OrderLine
        {
            LineId = "../../../../etc/passwd",
            Sku = "\" or 1=1 --",
            Title = "<script>alert(1)</script> ..\\..\\windows",
            Category = "clothing",
            Brand = "Robert'); DROP TABLE students;--",
            UnitPrice = 10m,
            Quantity = 1,
            ManufacturerWarrantyMonths = 0,
            MerchantWarrantyMonths = 0,
        };
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        var (buyer, merchant) = ($"{orderId} buyer", $"../{orderId} merchant");
        await world.Publish(new OrderPlaced { OrderId = orderId, BuyerId = buyer, MerchantId = merchant, ShippingRegion = "310000", Lines = [line], PlacedAt = at });
        await world.Publish(new OrderReceiptConfirmed { OrderId = orderId, ConfirmedAt = at });

        var client = world.Client("order", PlatformRoles.Buyer, buyer);
        JsonElement order = default;
        await Eventually.Until(async () =>
        {
            using var response = await client.GetAsync($"/orders/{Uri.EscapeDataString(orderId)}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                order = await response.Content.ReadFromJsonAsync<JsonElement>();
            }
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "the order with hostile ids is kept and read back by its id");
        Assert.Equal(orderId, order.GetProperty("orderId").GetString());
        Assert.Equal(buyer, order.GetProperty("buyerId").GetString());
        Assert.Equal(merchant, order.GetProperty("merchantId").GetString());
        var kept = order.GetProperty("lines")[0];
        Assert.Equal(line.LineId, kept.GetProperty("lineId").GetString());
        Assert.Equal(line.Sku, kept.GetProperty("sku").GetString());
        Assert.Equal(line.Title, kept.GetProperty("title").GetString());
        Assert.Equal(line.Brand, kept.GetProperty("brand").GetString());
        Assert.Equal(database, await DatabaseShape());
    }

    /// <summary>
    /// A JSON string that carries exactly these UTF-16 code units, half surrogate pairs included, which a
    /// serializer would replace: everything but plain ASCII is written as an escape.
    /// </summary>
    private static string JsonString(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            json.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        }
        return json.Append('"').ToString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Whether the request was taken; a refusal must be a 4xx problem, never a 5xx.</summary>
    private static bool Answered(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{status} for {JsonSerializer.Serialize(text)}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        Assert.True(status < 400 || response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{status} without problem details");
        return status < 400;
    }

    /// <summary>Every table of every service's database with its columns: an injected statement that ran would change it.</summary>
    private async Task<string> DatabaseShape()
    {
        var shape = new StringBuilder();
        foreach (var service in world.Services.Keys.Order())
        {
            shape.Append(service).Append(": ").AppendLine(await world.Scalar<string>(service,
                "select string_agg(table_name || '.' || column_name, ',' order by table_name, column_name) from information_schema.columns where table_schema = 'public'"));
        }
        return shape.ToString();
    }

    private async Task<IReadOnlyList<string>> QueryParameters(AccessMatrixTests.Row row)
    {
        var document = await world.Client(row.Service, PlatformRoles.Operator, "ops-a").GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var (method, path) = (row.Operation.Split(' ')[0].ToLowerInvariant(), row.Operation.Split(' ')[1]);
        return document.GetProperty("paths").GetProperty(path).GetProperty(method).TryGetProperty("parameters", out var parameters)
            ? [.. parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)]
            : [];
    }

    /// <summary>The valid body with one property (or a new one) set to the fuzzed value, or taken out.</summary>
    private static string Mutated(object? valid, Fuzz fuzz)
    {
        var body = JsonSerializer.SerializeToNode(valid ?? new { }, JsonSerializerOptions.Web)!.AsObject();
        var names = body.Select(p => p.Key).Append("unexpected").ToList();
        if (fuzz.EveryProperty)
        {
            foreach (var every in names)
            {
                body[every] = "__fuzzed__";
            }
            return body.ToJsonString().Replace("\"__fuzzed__\"", fuzz.Value, StringComparison.Ordinal);
        }
        var name = names[fuzz.Property % names.Count];
        if (fuzz.Remove)
        {
            body.Remove(name);
            return body.ToJsonString();
        }
        body[name] = "__fuzzed__";
        return body.ToJsonString().Replace("\"__fuzzed__\"", fuzz.Value, StringComparison.Ordinal);
    }

    [GeneratedRegex("{([^}:]+)[^}]*}")]
    private static partial Regex RouteValue();
}
