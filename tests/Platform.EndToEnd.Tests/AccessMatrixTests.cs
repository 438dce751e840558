using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using Xunit.Abstractions;
using static Platform.EndToEnd.Tests.AccessMatrixTests.Answer;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Every operation of every service (read from the services' OpenAPI documents, so a new one fails
/// the coverage test until it has a row) × every role × the caller's own resource or another
/// party's, against resources made through the real services. Without credentials: 401. Another
/// party's resource: 404, the same answer as a resource that does not exist, or 403, and never
/// anything of the resource in the body. A token that is expired, for another service, signed by a key
/// the issuer never published, or of a revoked client: 401, never anything else, for the very caller the
/// row permits. A role that may never call the operation: 403. The role that
/// may, on its own resource: 2xx, which proves each resource is real and in the state the operation
/// needs; it runs after all the refusals on that same resource, so it also proves they changed nothing.
/// </summary>
public sealed partial class AccessMatrixTests(AccessMatrixFixture world, ITestOutputHelper output) : IClassFixture<AccessMatrixFixture>
{
    public enum Answer
    {
        /// <summary>2xx.</summary>
        Allowed,

        /// <summary>403 with problem details; nothing of the resource in the body.</summary>
        Forbidden,

        /// <summary>404 with problem details, the same as for an absent resource; nothing of the resource in the body.</summary>
        NotFound,

        /// <summary>2xx listing nothing of the resource.</summary>
        ListedWithout,
    }

    /// <param name="Own">The role as party A, who owns the resource.</param>
    /// <param name="Other">The role as party B, who owns none of it.</param>
    /// <param name="Unscoped">The role acts on every party's resources alike; its one cell is a caller party to none.</param>
    /// <param name="OwnKind">The resource party A holds as this role, when not the row's (an operator answers repair operations' cases).</param>
    public sealed record Access(Answer Own, Answer Other, bool Unscoped = false, string? OwnKind = null)
    {
        public Access On(string kind) => this with { OwnKind = kind };

        public override string ToString() => Unscoped ? "any" : OwnKind is null ? $"{Own}/{Other}" : $"{Own} on {OwnKind}/{Other}";
    }

    /// <summary>Its own: allowed; another party's: as absent.</summary>
    private static readonly Access Party = new(Allowed, NotFound);

    /// <summary>The one assigned: allowed; others of the role: 403.</summary>
    private static readonly Access Assigned = new(Allowed, Forbidden);

    /// <summary>Every party's resource, as customer service, arbitrators and operators act.</summary>
    private static readonly Access Any = new(Allowed, Allowed, Unscoped: true);

    private static readonly Access Never = new(Forbidden, Forbidden);

    /// <summary>A list of the caller's own: it shows party A's resource to A and nothing of it to B.</summary>
    private static readonly Access Lists = new(Allowed, ListedWithout);

    public sealed record Row(string Service, string Operation, string Resource,
        Access Buyer, Access Merchant, Access Provider, Access CustomerService, Access Arbitrator, Access Operator)
    {
        public string Key => $"{Service} {Operation}";

        public IEnumerable<(string Role, Access Access)> Roles =>
        [
            (PlatformRoles.Buyer, Buyer), (PlatformRoles.Merchant, Merchant), (PlatformRoles.Provider, Provider),
            (PlatformRoles.CustomerService, CustomerService), (PlatformRoles.Arbitrator, Arbitrator), (PlatformRoles.Operator, Operator),
        ];
    }

    private const string RepairCase = "repair operations' case";

    /// <summary>Who may do what (docs/domain.md "Who may do what", and each service's README), one row per operation.</summary>
    public static readonly Row[] Matrix =
    [
        //  service           operation                                                  resource party A holds                        buyer   merchant provider cs     arbitr.   operator
        new("order",          "GET /orders/{id}",                                        "order",                                      Party,  Party,   Never,   Any,   Never,    Any),
        new("order",          "GET /operations/refusals",                                "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("order",          "GET /operations/dead-letters",                            "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("order",          "POST /operations/dead-letters/{queue}/move",              "order's dead-letter queue",                  Never,  Never,   Never,   Never, Never,    Any),

        new("warranty",       "POST /claims",                                            "unclaimed line",                             Party,  Never,   Never,   Any,   Never,    Never),
        new("warranty",       "GET /claims",                                             "claim",                                      Lists,  Lists,   Never,   Any,   Never,    Never),
        new("warranty",       "GET /claims/{id}",                                        "claim",                                      Party,  Party,   Never,   Any,   Any,      Never),
        new("warranty",       "POST /claims/{id}/accept",                                "claim awaiting the merchant's acceptance",   Never,  Party,   Never,   Never, Never,    Never),
        new("warranty",       "POST /claims/{id}/refuse",                                "claim awaiting the merchant's refusal",      Never,  Party,   Never,   Never, Never,    Never),
        new("warranty",       "POST /claims/{id}/escalate",                              "refused claim",                              Party,  Never,   Never,   Never, Never,    Never),
        new("warranty",       "POST /claims/{id}/return-accepted",                       "accepted return",                            Never,  Party,   Never,   Never, Never,    Never),
        new("warranty",       "POST /claims/{id}/repair-completed",                      "accepted merchant repair",                   Never,  Party,   Never,   Never, Never,    Never),
        new("warranty",       "GET /warranties",                                         "line",                                       Lists,  Never,   Never,   Any,   Never,    Never),
        new("warranty",       "GET /warranties/{orderId}/{lineId}",                      "line",                                       Party,  Party,   Never,   Any,   Any,      Never),
        new("warranty",       "POST /warranties/{orderId}/{lineId}/reopen",              "line with a closed entry",                   Party,  Never,   Never,   Any,   Never,    Never),
        new("warranty",       "POST /warranties/{orderId}/{lineId}/extended-warranty/cancel", "line with a plan",                      Party,  Never,   Never,   Never, Never,    Never),
        new("warranty",       "GET /operations/refusals",                                "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("warranty",       "GET /operations/dead-letters",                            "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("warranty",       "POST /operations/dead-letters/{queue}/move",              "warranty's dead-letter queue",               Never,  Never,   Never,   Never, Never,    Any),

        new("repairdispatch", "POST /providers",                                         "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "GET /providers",                                          "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "PUT /providers/{id}",                                     "provider to update",                         Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "POST /providers/{id}/suspend",                            "provider to suspend",                        Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "POST /providers/{id}/reactivate",                         "suspended provider",                         Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "DELETE /providers/{id}",                                  "provider to remove",                         Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "POST /providers/{id}/broker-credentials",                 "provider",                                   Never,  Never,   Party,   Never, Never,    Any),
        new("repairdispatch", "GET /providers/{id}",                                     "provider",                                   Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "GET /providers/{id}/scorecard",                           "provider",                                   Never,  Never,   Party,   Never, Never,    Any),
        new("repairdispatch", "GET /jobs",                                               "job",                                        Never,  Never,   Lists,   Never, Never,    Never),
        new("repairdispatch", "GET /jobs/{id}",                                          "job",                                        Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "GET /jobs/{id}/contact",                                  "job",                                        Never,  Never,   Assigned, Never, Never,   Never),
        new("repairdispatch", "GET /jobs/{id}/reports",                                  "job",                                        Never,  Never,   Party,   Never, Never,    Any),
        new("repairdispatch", "POST /jobs/{id}/accept",                                  "dispatched job to accept",                   Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "POST /jobs/{id}/decline",                                 "dispatched job to decline",                  Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "POST /jobs/{id}/customer-contacted",                      "dispatched job to report contacted",         Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "POST /jobs/{id}/device-received",                         "contacted job to report received",           Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "POST /jobs/{id}/progress",                                "contacted job to report progress",           Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "POST /jobs/{id}/complete",                                "contacted job to complete",                  Never,  Never,   Party,   Never, Never,    Never),
        new("repairdispatch", "GET /operations/refusals",                                "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "GET /operations/dead-letters",                            "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "POST /operations/dead-letters/{queue}/move",              "repairdispatch's dead-letter queue",         Never,  Never,   Never,   Never, Never,    Any),
        new("repairdispatch", "GET /providers/{id}/breaches",                            "provider",                                   Never,  Never,   Party,   Never, Never,    Any),
        new("repairdispatch", "GET /operations/jobs",                                    "job",                                        Never,  Never,   Never,   Any,   Any,      Any),
        new("repairdispatch", "GET /operations/jobs/{id}",                               "job",                                        Never,  Never,   Never,   Any,   Any,      Any),
        // A provider's webhook is its own; another provider is refused outright (403), as the provider id is in the path.
        new("repairdispatch", "PUT /providers/{id}/webhook",                             "provider",                                   Never,  Never,   Assigned, Never, Never,   Any),
        new("repairdispatch", "GET /providers/{id}/webhook",                             "provider",                                   Never,  Never,   Assigned, Never, Never,   Any),
        new("repairdispatch", "DELETE /providers/{id}/webhook",                          "provider",                                   Never,  Never,   Assigned, Never, Never,   Any),
        new("repairdispatch", "POST /providers/{id}/webhook/secret",                     "provider",                                   Never,  Never,   Assigned, Never, Never,   Any),
        new("repairdispatch", "GET /providers/{id}/webhook/deliveries",                  "provider",                                   Never,  Never,   Assigned, Never, Never,   Any),
        new("repairdispatch", "GET /providers/{id}/webhook/deliveries/{deliveryId}",     "webhook delivery",                           Never,  Never,   Assigned, Never, Never,   Any),
        new("repairdispatch", "POST /providers/{id}/webhook/deliveries/{deliveryId}/redeliver", "webhook delivery",                    Never,  Never,   Assigned, Never, Never,   Any),

        new("arbitration",    "POST /appeals",                                           "appealable decision",                        Party,  Never,   Never,   Any,   Never,    Never),
        // Operators answer repair operations' cases as a team, so every operator lists all of them, and nothing else.
        new("arbitration",    "GET /cases",                                              "merchant's case",                            Lists,  Lists,   Never,   Any,   Any,      Any),
        new("arbitration",    "GET /cases/{caseId}",                                     "merchant's case",                            Party,  Party,   Never,   Any,   Any,      Party.On(RepairCase)),
        new("arbitration",    "POST /cases/{caseId}/evidence",                           "merchant's case",                            Party,  Party,   Never,   Never, Never,    Party.On(RepairCase)),
        new("arbitration",    "POST /cases/{caseId}/ruling",                             "answered case",                              Never,  Never,   Never,   Never, Assigned, Never),
        new("arbitration",    "GET /operations/stale-cases",                             "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("arbitration",    "GET /operations/refusals",                                "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("arbitration",    "GET /operations/dead-letters",                            "none",                                       Never,  Never,   Never,   Never, Never,    Any),
        new("arbitration",    "POST /operations/dead-letters/{queue}/move",              "arbitration's dead-letter queue",            Never,  Never,   Never,   Never, Never,    Any),
    ];

    /// <summary>
    /// A valid body for the operations that take one, so that an answer is about who asks, never about
    /// what was sent. Customer service names the buyer it acts for; a buyer acts for itself.
    /// </summary>
    internal static object? Body(string operation, Resource resource, string role) => operation switch
    {
        "POST /claims" => new
        {
            orderId = resource["orderId"], lineId = resource["lineId"], buyerId = role == PlatformRoles.CustomerService ? resource["buyerId"] : null,
            fault = "QualityFault", faultDescription = "It stopped charging", remedyAsked = "Return",
        },
        "POST /claims/{id}/refuse" => new { reason = "The item shows wear" },
        "POST /claims/{id}/escalate" => new { statement = "It failed before any wear" },
        "POST /claims/{id}/repair-completed" => new { outcome = "Repaired" },
        "POST /warranties/{orderId}/{lineId}/reopen" => new
        {
            buyerId = role == PlatformRoles.CustomerService ? resource["buyerId"] : null, fault = "QualityFault", faultDescription = "The seam split",
        },
        "POST /providers" => new { id = $"new-{Guid.NewGuid():N}", regions = new[] { "990000" }, categories = new[] { "phones" }, capacity = 1 },
        "PUT /providers/{id}" => new { regions = new[] { "990001" }, categories = new[] { "phones" }, capacity = 2 },
        "POST /providers/{id}/suspend" => new { reason = "Complaints under review" },
        "PUT /providers/{id}/webhook" => new { url = AccessMatrixFixture.WebhookUrl },
        "POST /jobs/{id}/decline" => new { reasonCode = "NoCapacity", reason = "No technician this week" },
        "POST /jobs/{id}/customer-contacted" => new { bookedFor = DateTimeOffset.UtcNow.AddDays(1) },
        "POST /jobs/{id}/progress" => new { progressCode = "AwaitingParts", progress = "Waiting for a part" },
        "POST /jobs/{id}/complete" => new { outcome = "Repaired", report = "Replaced the charging port" },
        "POST /appeals" => new { subject = "ReopenDenied", reopenRequestId = resource["reopenRequestId"], statement = "The seam split in the first week" },
        "POST /cases/{caseId}/evidence" => new { statement = "A photo of the fault", links = new[] { "https://evidence.example/photo-1" } },
        "POST /cases/{caseId}/ruling" => new { inFavourOf = "Respondent", rationale = "The wear shows use, not a fault" },
        _ => null,
    };

    /// <summary>Operations whose success changes the resource so that a second success needs a resource of its own.</summary>
    private static readonly HashSet<string> UsesUpItsResource = new(StringComparer.Ordinal)
    {
        "POST /claims", "POST /warranties/{orderId}/{lineId}/reopen", "POST /appeals",
    };

    public static TheoryData<string> Rows => [.. Matrix.Select(r => r.Key)];

    /// <summary>A role the row permits, the subject to call as and the resource it may act on; null when none may.</summary>
    internal static (string Role, bool AsOwner, string Kind)? Permitted(Row row) =>
        row.Roles.Where(r => r.Access.Own == Allowed).Select(r => ((string, bool, string)?)(r.Role, !r.Access.Unscoped, r.Access.OwnKind ?? row.Resource)).FirstOrDefault();

    [Fact]
    public async Task Every_operation_the_services_publish_has_a_row_and_every_row_an_operation()
    {
        var published = new List<string>();
        foreach (var service in world.Services.Keys)
        {
            var operations = await OpenApiOperations.Read(world.Client(service, PlatformRoles.Operator, "ops-a"));
            published.AddRange(operations.Select(o => $"{service} {o}"));
        }
        var rows = Matrix.Select(r => r.Key).ToList();
        Assert.True(rows.Count == rows.Distinct().Count(), "a row appears twice: " + string.Join(", ", rows.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key)));
        var missing = published.Except(rows).ToList();
        var stale = rows.Except(published).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"operations without a row in the access matrix: [{string.Join(", ", missing)}]; rows naming no published operation: [{string.Join(", ", stale)}]");
        output.WriteLine($"{published.Count} operations, {Matrix.Length} rows; seeding took {world.SeedingTook.TotalSeconds:F1} s");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_role_gets_what_the_matrix_says_on_its_own_and_on_another_partys_resource(string key)
    {
        var row = Matrix.Single(r => r.Key == key);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var pool = world.Pool(row.Resource);

        var anonymous = await Call(world.Anonymous(row.Service), row, pool[0], PlatformRoles.Buyer);
        Check(anonymous.Status == HttpStatusCode.Unauthorized, failures, $"without credentials: {(int)anonymous.Status}, not 401");
        var (permittedRole, permittedSubject) = world.PermittedCaller(row);
        foreach (var (what, token) in world.Unacceptable(row.Service, permittedRole, permittedSubject))
        {
            var client = world.Anonymous(row.Service);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var refused = await Call(client, row, pool[0], permittedRole);
            Check(refused.Status == HttpStatusCode.Unauthorized, failures, $"{permittedRole} {permittedSubject} with a token {what}: {(int)refused.Status}, not 401: {Short(refused.Body)}");
        }

        var cells = row.Roles.SelectMany(r => Cells(row, r.Role, r.Access)).ToList();
        // Every refusal first, on the very resource the permitted call then uses: its success shows they changed nothing.
        foreach (var cell in cells.Where(c => c.Expected != Allowed))
        {
            await Refused(row, cell, pool[0], failures);
        }
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cell in cells.Where(c => c.Expected == Allowed))
        {
            var index = UsesUpItsResource.Contains(row.Operation) ? used.GetValueOrDefault(cell.Kind) : 0;
            used[cell.Kind] = index + 1;
            var resources = world.Pool(cell.Kind);
            Assert.True(index < resources.Count, $"{key}: the fixture holds {resources.Count} '{cell.Kind}', the matrix uses {index + 1}");
            var answer = await Call(world.Client(row.Service, cell.Role, cell.Subject), row, resources[index], cell.Role);
            var ok = (int)answer.Status is >= 200 and < 300;
            if (ok && cell.ListsOwn)
            {
                ok = resources[index].Values.Values.All(v => answer.Body.Contains(v, StringComparison.OrdinalIgnoreCase));
            }
            Check(ok, failures, $"{cell}: {(int)answer.Status}, not 2xx{(cell.ListsOwn ? " listing its own" : "")}: {Short(answer.Body)}");
            output.WriteLine($"{cell}: {(int)answer.Status}");
            if (row.Operation == "DELETE /providers/{id}/webhook")
            {
                // The provider and operators may each remove it: put back for the next caller and the other rows.
                await world.RegisterWebhook(resources[index]["id"]);
            }
        }
        output.WriteLine($"{cells.Count + 1} cells in {clock.ElapsedMilliseconds} ms");
        Assert.True(failures.Count == 0, $"{key}:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task A_provider_cannot_act_on_another_providers_job_by_message_either()
    {
        var job = Guid.Parse(world.Pool("job")[0]["id"]);
        var own = world.Client("repairdispatch", PlatformRoles.Provider, world.ProviderA);
        var before = await own.GetFromJsonAsync<JsonElement>($"/jobs/{job}");
        var orderId = before.GetProperty("orderId").GetString()!;
        var lineId = before.GetProperty("lineId").GetString()!;
        var b = world.ProviderB;
        var now = DateTimeOffset.UtcNow;
        Func<Task>[] reports =
        [
            () => world.ReportAsProviderB(new JobAccepted { JobId = job, Attempt = 1, ProviderId = b, OrderId = orderId, AcceptedAt = now }),
            () => world.ReportAsProviderB(new CustomerContacted
            {
                JobId = job, Attempt = 1, ProviderId = b, OrderId = orderId, ContactedAt = now, ServiceMode = ServiceMode.OnSite, BookedFor = now.AddDays(1),
            }),
            () => world.ReportAsProviderB(new DeviceReceived { JobId = job, Attempt = 1, ProviderId = b, OrderId = orderId, ReceivedAt = now }),
            () => world.ReportAsProviderB(new RepairProgressReported { JobId = job, Attempt = 1, ProviderId = b, OrderId = orderId, Progress = "Fixed it", ReportedAt = now }),
            () => world.ReportAsProviderB(new RepairJobCompleted
            {
                JobId = job, Attempt = 1, ProviderId = b, OrderId = orderId, LineId = lineId, Outcome = RepairOutcome.Repaired, Report = "Done", CompletedAt = now,
            }),
            () => world.ReportAsProviderB(new JobDeclined { JobId = job, Attempt = 1, ProviderId = b, OrderId = orderId, Reason = "Not mine", DeclinedAt = now }),
        ];
        foreach (var send in reports)
        {
            await send();
        }
        var types = new[] { typeof(JobAccepted), typeof(CustomerContacted), typeof(DeviceReceived), typeof(RepairProgressReported), typeof(RepairJobCompleted), typeof(JobDeclined) }
            .Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);
        var refused = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.Until(async () =>
        {
            foreach (var refusal in (await world.Refusals("repairdispatch")).EnumerateArray())
            {
                if (refusal.GetProperty("code").GetString() == "NotYourJob" && types.Contains(refusal.GetProperty("messageType").GetString()!)
                    && refusal.GetProperty("body").GetProperty("jobId").GetGuid() == job && refusal.GetProperty("body").GetProperty("providerId").GetString() == b)
                {
                    refused.Add(refusal.GetProperty("messageType").GetString()!);
                }
            }
            return refused.Count == types.Count;
        }, TimeSpan.FromSeconds(30), "every report provider B sends on provider A's job is refused as not B's job");

        var after = await own.GetFromJsonAsync<JsonElement>($"/jobs/{job}");
        Assert.Equal(before.GetProperty("status").ToString(), after.GetProperty("status").ToString());
        Assert.Equal(before.GetProperty("attempt").GetInt32(), after.GetProperty("attempt").GetInt32());
        Assert.False(after.GetProperty("accepted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("bookedFor").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("outcome").ValueKind);
        var listedToB = await world.Client("repairdispatch", PlatformRoles.Provider, b).GetStringAsync("/jobs");
        Assert.DoesNotContain(job.ToString(), listedToB, StringComparison.OrdinalIgnoreCase);
    }

    private sealed record Cell(string Role, string Subject, string Kind, Answer Expected, bool ListsOwn)
    {
        public override string ToString() => $"{Role} {Subject} on {Kind} (expects {Expected})";
    }

    private IEnumerable<Cell> Cells(Row row, string role, Access access)
    {
        var (own, other) = world.Subjects[role];
        if (access.Unscoped)
        {
            return [new Cell(role, other, row.Resource, Allowed, ListsOwn: false)];
        }
        return
        [
            new Cell(role, own, access.OwnKind ?? row.Resource, access.Own, ListsOwn: access.Other == ListedWithout),
            new Cell(role, other, row.Resource, access.Other, ListsOwn: false),
        ];
    }

    private async Task Refused(Row row, Cell cell, Resource resource, List<string> failures)
    {
        var client = world.Client(row.Service, cell.Role, cell.Subject);
        var answer = await Call(client, row, resource, cell.Role);
        var expected = cell.Expected switch
        {
            Forbidden => HttpStatusCode.Forbidden,
            NotFound => HttpStatusCode.NotFound,
            _ => HttpStatusCode.OK,
        };
        var statusOk = cell.Expected == ListedWithout ? (int)answer.Status is >= 200 and < 300 : answer.Status == expected;
        Check(statusOk, failures, $"{cell}: {(int)answer.Status}: {Short(answer.Body)}");
        if (cell.Expected != ListedWithout)
        {
            Check(answer.MediaType == "application/problem+json", failures, $"{cell}: {answer.MediaType}, not problem details");
        }
        var sent = answer.Path + answer.Sent;
        var leaked = world.Secrets.Where(s => !sent.Contains(s, StringComparison.OrdinalIgnoreCase) && answer.Body.Contains(s, StringComparison.OrdinalIgnoreCase)).ToList();
        Check(leaked.Count == 0, failures, $"{cell}: the answer shows what the caller did not send: {string.Join(", ", leaked)}");
        if (cell.Expected == NotFound)
        {
            var absent = resource.Absent();
            var absentAnswer = await Call(client, row, absent, cell.Role);
            var (seen, unseen) = (Normalized(answer.Body, resource), Normalized(absentAnswer.Body, absent));
            Check(absentAnswer.Status == answer.Status && seen == unseen, failures,
                $"{cell}: another party's resource is told apart from an absent one: {(int)answer.Status} {seen} vs {(int)absentAnswer.Status} {unseen}");
        }
        output.WriteLine($"{cell}: {(int)answer.Status}");
    }

    private sealed record Answered(HttpStatusCode Status, string? MediaType, string Body, string Path, string Sent);

    private static async Task<Answered> Call(HttpClient client, Row row, Resource resource, string role)
    {
        var (method, template) = (row.Operation.Split(' ')[0], row.Operation.Split(' ')[1]);
        var path = RouteValue().Replace(template, m => Uri.EscapeDataString(resource[m.Groups[1].Value]));
        var body = Body(row.Operation, resource, role);
        var sent = body is null ? "" : JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent(sent.Length == 0 ? "{}" : sent, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        return new Answered(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), path, sent);
    }

    /// <summary>A problem's body without its trace id, the resource's ids written as their names.</summary>
    private static string Normalized(string body, Resource resource)
    {
        var text = body;
        foreach (var (name, value) in resource.Values)
        {
            text = text.Replace(value, $"{{{name}}}", StringComparison.OrdinalIgnoreCase);
        }
        if (text.StartsWith('{') && JsonNode.Parse(text) is JsonObject problem)
        {
            problem.Remove("traceId");
            return problem.ToJsonString();
        }
        return text;
    }

    private static void Check(bool condition, List<string> failures, string failure)
    {
        if (!condition)
        {
            failures.Add(failure);
        }
    }

    private static string Short(string body) => body.Length > 300 ? body[..300] + "…" : body;

    [GeneratedRegex("{([^}:]+)[^}]*}")]
    private static partial Regex RouteValue();
}
