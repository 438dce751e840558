using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Contracts.Arbitration.V1;
using Platform.Contracts.Trade.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;
using Platform.Testing;

namespace Platform.EndToEnd.Tests;

/// <summary>A resource of the matrix: the values its route (and, for some operations, its body) names it by.</summary>
public sealed record Resource(string Kind, IReadOnlyDictionary<string, string> Values)
{
    public string this[string name] => Values[name];

    /// <summary>The same kind of resource under ids nobody holds: what "does not exist" answers.</summary>
    public Resource Absent() => this with
    {
        Values = Values.ToDictionary(v => v.Key, v => Guid.TryParse(v.Value, out _) ? Guid.NewGuid().ToString() : $"absent-{Guid.NewGuid():N}"),
    };
}

/// <summary>
/// One world for the access matrix: the four services, two parties of each kind (A owns everything
/// seeded; B owns nothing of it), and, for every operation, resources of party A in the state the
/// operation needs, all made through the real services: the trade system's events on the bus, then
/// the buyer's, merchant's, provider's and operator's own API calls, and the messages the services
/// send each other.
/// </summary>
public sealed class AccessMatrixFixture : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, List<Resource>> pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Service, string Role, string Subject), HttpClient> clients = new();
    private readonly HashSet<string> secrets = new(StringComparer.Ordinal);
    private readonly List<(string OrderId, string LineId)> lines = [];
    private TestEnvironment env = null!;
    private BusProbe probe = null!;

    public Dictionary<string, RunningService> Services { get; private set; } = null!;

    /// <summary>Who calls as each role: party A, who owns the seeded resources, and party B, who owns none of them.</summary>
    public IReadOnlyDictionary<string, (string Own, string Other)> Subjects { get; private set; } = null!;

    public string BuyerA => Subjects[PlatformRoles.Buyer].Own;
    public string ProviderA => Subjects[PlatformRoles.Provider].Own;
    public string ProviderB => Subjects[PlatformRoles.Provider].Other;

    /// <summary>Everything of party A that nobody else may learn: ids, names, amounts, words.</summary>
    public IReadOnlyCollection<string> Secrets => secrets;

    public TimeSpan SeedingTook { get; private set; }

    public IReadOnlyList<Resource> Pool(string kind) =>
        pools.TryGetValue(kind, out var pool) ? pool : throw new InvalidOperationException($"The fixture seeds no '{kind}'.");

    public HttpClient Client(string service, string role, string subject) =>
        clients.GetOrAdd((service, role, subject), key => Services[key.Service].As(key.Role, key.Subject));

    public HttpClient Anonymous(string service) => Services[service].Anonymous();

    /// <summary>
    /// Tokens no service may accept, for the caller a row permits at its service, each wrong in one way
    /// only: expired, issued for another service, signed by a key the issuer never published, and of a
    /// client the issuer has since revoked. All but the forged one come from the real issuer.
    /// </summary>
    public IReadOnlyDictionary<string, string> Unacceptable(string service, string role, string subject) => unacceptable[(service, role, subject)];

    private readonly Dictionary<(string Service, string Role, string Subject), Dictionary<string, string>> unacceptable = [];

    public async Task<JsonElement> Refusals(string service) =>
        await Client(service, PlatformRoles.Operator, Subjects[PlatformRoles.Operator].Own).GetFromJsonAsync<JsonElement>("/operations/refusals?limit=1000");

    /// <summary>Sends a report by message as provider B, with B's own broker user.</summary>
    public Task ReportAsProviderB<T>(T report) where T : class => providerB.Report(report);

    private ProviderBus providerB = null!;

    /// <summary>Publishes as the trade system, or any other publisher, does.</summary>
    public Task Publish<T>(T message) where T : class => probe.Publish(message);

    public async Task<T> Scalar<T>(string service, string sql) => await (await env.Database(service)).Scalar<T>(sql);

    public async Task InitializeAsync()
    {
        var started = DateTimeOffset.UtcNow;
        Subjects = new Dictionary<string, (string, string)>
        {
            [PlatformRoles.Buyer] = ($"{run}-buyer-a", $"{run}-buyer-b"),
            [PlatformRoles.Merchant] = ($"{run}-merchant-a", $"{run}-merchant-b"),
            [PlatformRoles.Provider] = ($"{run}-provider-a", $"{run}-provider-b"),
            [PlatformRoles.CustomerService] = ("cs-a", "cs-b"),
            [PlatformRoles.Arbitrator] = ("arb-a", "arb-b"),
            [PlatformRoles.Operator] = ("ops-a", "ops-b"),
        };
        secrets.UnionWith([BuyerA, Subjects[PlatformRoles.Merchant].Own, ProviderA]);

        env = await TestEnvironment.Create();
        // One arbitrator named, so every case is assigned to party A's arbitrator and B's may not rule.
        Services = await PlatformServices.Start(env, $"--Arbitration:Arbitrators:0={Subjects[PlatformRoles.Arbitrator].Own}");
        probe = await BusProbe.Start(env);
        await probe.Observe<CaseOpened>();

        await SeedProviders();
        var (recent, old) = await SeedOrders();
        await SeedClaims(recent, old);
        await SeedJobs();
        await SeedAppeals(old);
        await MakeUnacceptableTokens();
        SeedingTook = DateTimeOffset.UtcNow - started;
    }

    public async Task DisposeAsync()
    {
        await providerB.DisposeAsync();
        await probe.DisposeAsync();
        await PlatformServices.Stop(Services.Values);
        await env.DisposeAsync();
    }

    private void Add(string kind, params (string Name, string Value)[] values)
    {
        if (!pools.TryGetValue(kind, out var pool))
        {
            pools[kind] = pool = [];
        }
        pool.Add(new Resource(kind, values.ToDictionary(v => v.Name, v => v.Value)));
    }

    private HttpClient As(string service, string role) => Client(service, role, Subjects[role].Own);

    private async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"seeding: {what} answered {(int)response.StatusCode}, not {(int)status}: {body}");
            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>The caller a row's unacceptable tokens act as: the role it permits, as the party the matrix calls it with.</summary>
    public (string Role, string Subject) PermittedCaller(AccessMatrixTests.Row row) =>
        AccessMatrixTests.Permitted(row) is { } permitted
            ? (permitted.Role, permitted.AsOwner ? Subjects[permitted.Role].Own : Subjects[permitted.Role].Other)
            : (PlatformRoles.Operator, Subjects[PlatformRoles.Operator].Own);

    private async Task MakeUnacceptableTokens()
    {
        var issuer = env.Issuer;
        var callers = AccessMatrixTests.Matrix.Select(r => (r.Service, Caller: PermittedCaller(r))).Distinct().ToList();
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        string ClientId(string kind, (string Role, string Subject) caller) => $"{run}-{kind}-{caller.Role}:{caller.Subject}";
        foreach (var caller in callers.Select(c => c.Caller).Distinct())
        {
            await env.Tokens.Register(ClientId("expiring", caller), new ClientRegistration(secret, caller.Role, caller.Subject, IssuerProtocol.ServiceAudiences, TimeSpan.FromSeconds(2)));
            await env.Tokens.Register(ClientId("revoked", caller), new ClientRegistration(secret, caller.Role, caller.Subject, IssuerProtocol.ServiceAudiences));
        }
        var expiresBy = DateTimeOffset.MinValue;
        foreach (var (service, caller) in callers)
        {
            var expiring = await env.Tokens.RequestToken(ClientId("expiring", caller), secret, service);
            expiresBy = expiresBy > expiring.ExpiresAt ? expiresBy : expiring.ExpiresAt;
            var otherService = IssuerProtocol.ServiceAudiences.First(a => a != service);
            unacceptable[(service, caller.Role, caller.Subject)] = new(StringComparer.Ordinal)
            {
                ["expired"] = expiring.AccessToken,
                ["for another service"] = await env.Tokens.TokenFor(caller.Role, caller.Subject, otherService),
                ["signed by an unknown key"] = issuer.SignedByUnknownKey(service, caller.Role, caller.Subject),
                ["of a revoked client"] = (await env.Tokens.RequestToken(ClientId("revoked", caller), secret, service)).AccessToken,
            };
        }
        // The revoked client's tokens were good until now: each service takes them before the revocation.
        foreach (var ((service, _, _), tokens) in unacceptable)
        {
            using var before = await Call(service, tokens["of a revoked client"]);
            Assert.True(before.StatusCode != HttpStatusCode.Unauthorized, $"seeding: a token of the client to be revoked was refused at {service} before the revocation");
        }
        foreach (var caller in callers.Select(c => c.Caller).Distinct())
        {
            await env.Tokens.Remove(ClientId("revoked", caller));
        }
        // Every service has read the revocation, and every expiring token has lapsed (with the services' second of skew).
        await Eventually.Until(async () =>
        {
            foreach (var ((service, _, _), tokens) in unacceptable)
            {
                using var answer = await Call(service, tokens["of a revoked client"]);
                if (answer.StatusCode != HttpStatusCode.Unauthorized)
                {
                    return false;
                }
            }
            return DateTimeOffset.UtcNow > expiresBy + TimeSpan.FromSeconds(2);
        }, Within, "every service refuses the revoked client's tokens and the expiring tokens lapse");
    }

    private async Task<HttpResponseMessage> Call(string service, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/operations/refusals?limit=1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await Services[service].Anonymous().SendAsync(request);
    }

    private async Task SeedProviders()
    {
        var ops = As("repairdispatch", PlatformRoles.Operator);
        var region = RegionA;
        async Task<JsonElement> Register(string id, string serves) =>
            await Expect(await ops.PostAsJsonAsync("/providers", new { id, regions = new[] { serves }, categories = new[] { "phones" }, capacity = 50 }),
                HttpStatusCode.Created, $"registering {id}");
        await Register(ProviderA, region);
        // Before any job: each of A's jobs then has a delivery, pending, as nothing answers there.
        await RegisterWebhook(ProviderA);
        // B is a provider like A, serving a region where none of A's orders ship, so it is never sent A's jobs.
        var broker = (await Register(ProviderB, $"{run}-region-b")).GetProperty("brokerCredentials");
        string Text(string name) => broker.GetProperty(name).GetString()!;
        providerB = await ProviderBus.Start(env, new ProviderLogin(ProviderB, Text("user"), Text("password"), Text("queue"), Text("reportsExchange")));
        foreach (var spare in new[] { "update", "suspend", "reactivate", "remove" })
        {
            var id = $"{run}-spare-{spare}";
            await Register(id, $"{run}-region-{spare}");
            Add(spare == "reactivate" ? "suspended provider" : $"provider to {spare}", ("id", id));
        }
        await Expect(await ops.PostAsJsonAsync($"/providers/{run}-spare-reactivate/suspend", new { reason = "Under review" }),
            HttpStatusCode.OK, "suspending the spare provider");
        Add("provider", ("id", ProviderA));
        Add("none");
        foreach (var (service, queue) in new[] { ("order", "order-trade-events"), ("warranty", "warranty-order-completed"),
                     ("repairdispatch", "repairdispatch-claim-approved"), ("arbitration", "arbitration-claim-escalated") })
        {
            Add($"{service}'s dead-letter queue", ("queue", queue + "_error"));
        }
    }

    private string RegionA => $"{run}-region-a";

    /// <summary>Where provider A's webhook points: a port nothing listens on, so its deliveries stay pending.</summary>
    public const string WebhookUrl = "https://hooks.provider.example/repairs";

    public async Task RegisterWebhook(string providerId)
    {
        using var response = await As("repairdispatch", PlatformRoles.Operator).PutAsJsonAsync($"/providers/{providerId}/webhook", new { url = WebhookUrl });
        Assert.True(response.IsSuccessStatusCode, $"registering the webhook of {providerId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private OrderLine Line(string lineId, string category, int nationalMonths, ExtendedWarrantyPurchase? plan = null)
    {
        var line = new OrderLine
        {
            LineId = lineId,
            Sku = $"SKU-{lineId}",
            Title = $"Title of {lineId}",
            Category = category,
            Brand = $"Brand-{run}",
            // An amount nothing else on the platform would show.
            UnitPrice = 7000.07m + secrets.Count * 1.13m,
            Quantity = 1,
            ManufacturerWarrantyMonths = nationalMonths,
            MerchantWarrantyMonths = 0,
            ExtendedWarranty = plan,
        };
        secrets.UnionWith([line.LineId, line.Sku, line.Title, line.Brand, line.UnitPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return line;
    }

    private async Task<(string Recent, string Old)> SeedOrders()
    {
        var (recent, old) = ($"{run}-order-recent", $"{run}-order-old");
        secrets.UnionWith([recent, old]);
        var now = DateTimeOffset.UtcNow;
        // Received two days ago: the return window is open and merchant-answered claims wait for the merchant.
        await PlaceAndComplete(recent, now.AddDays(-2),
        [
            .. new[] { "read", "rule", "accept", "refuse", "escalate", "return", "file-1", "file-2" }.Select(l => Line($"{run}-c-{l}", "clothing", 0)),
            Line($"{run}-p-plan", "phones", 12, new ExtendedWarrantyPurchase { PlanYears = 1, PricePaid = 399.17m, IncludesAccidentalDamage = false }),
        ]);
        secrets.Add("399.17");
        // Received forty days ago: clothing's entry has closed, and a phone's repair under the 三包 period goes to
        // the brand's repair providers when it has a national warranty, to the merchant when it has none.
        await PlaceAndComplete(old, now.AddDays(-40),
        [
            .. new[] { "reopen-1", "reopen-2", "appeal-1", "appeal-2" }.Select(l => Line($"{run}-c-{l}", "clothing", 0)),
            Line($"{run}-m-repair", "phones", 0),
            .. Enumerable.Range(1, 8).Select(n => Line($"{run}-j-{n}", "phones", 12)),
        ]);

        var buyer = As("warranty", PlatformRoles.Buyer);
        var pending = lines.ToHashSet();
        await Eventually.Until(async () =>
        {
            foreach (var (orderId, lineId) in pending.ToList())
            {
                using var response = await buyer.GetAsync($"/warranties/{orderId}/{lineId}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    pending.Remove((orderId, lineId));
                }
            }
            return pending.Count == 0;
        }, Within, "the trade events complete both orders and Warranty activates every line");

        Add("order", ("id", recent));
        Add("line", ("orderId", recent), ("lineId", $"{run}-c-read"));
        Add("unclaimed line", ("orderId", recent), ("lineId", $"{run}-c-file-1"), ("buyerId", BuyerA));
        Add("unclaimed line", ("orderId", recent), ("lineId", $"{run}-c-file-2"), ("buyerId", BuyerA));
        Add("line with a plan", ("orderId", recent), ("lineId", $"{run}-p-plan"));
        Add("line with a closed entry", ("orderId", old), ("lineId", $"{run}-c-reopen-1"), ("buyerId", BuyerA));
        Add("line with a closed entry", ("orderId", old), ("lineId", $"{run}-c-reopen-2"), ("buyerId", BuyerA));
        return (recent, old);
    }

    private async Task PlaceAndComplete(string orderId, DateTimeOffset at, IReadOnlyList<OrderLine> orderLines)
    {
        lines.AddRange(orderLines.Select(l => (orderId, l.LineId)));
        await probe.Publish(new OrderPlaced
        {
            OrderId = orderId, BuyerId = BuyerA, MerchantId = Subjects[PlatformRoles.Merchant].Own, ShippingRegion = RegionA, Lines = orderLines, PlacedAt = at,
        });
        await probe.Publish(new OrderPaid { OrderId = orderId, PaidAt = at });
        await probe.Publish(new OrderShipped { OrderId = orderId, ShippedAt = at });
        await probe.Publish(new OrderDelivered { OrderId = orderId, DeliveredAt = at });
        await probe.Publish(new OrderReceiptConfirmed { OrderId = orderId, ConfirmedAt = at });
    }

    private async Task<Guid> FileClaim(string orderId, string lineId, string remedy)
    {
        var description = $"Fault of {lineId}: it stopped working";
        secrets.Add(description);
        var claim = await Expect(await As("warranty", PlatformRoles.Buyer).PostAsJsonAsync("/claims",
                new { orderId, lineId, fault = "QualityFault", faultDescription = description, remedyAsked = remedy }),
            HttpStatusCode.Created, $"the buyer's claim on {lineId}");
        Assert.True(claim.GetProperty("approval").ValueKind == JsonValueKind.Object, $"seeding: the claim on {lineId} was not approved: {claim}");
        var id = claim.GetProperty("claimId").GetGuid();
        secrets.Add(id.ToString());
        return id;
    }

    private async Task ClaimAction(Guid claimId, string role, string action, object body) =>
        await Expect(await As("warranty", role).PostAsJsonAsync($"/claims/{claimId}/{action}", body), HttpStatusCode.OK, $"{role} {action} on claim {claimId}");

    private async Task SeedClaims(string recent, string old)
    {
        var claims = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var line in new[] { "read", "rule", "accept", "refuse", "escalate", "return" })
        {
            claims[line] = await FileClaim(recent, $"{run}-c-{line}", "Return");
        }
        var repair = await FileClaim(old, $"{run}-m-repair", "Repair");
        foreach (var line in new[] { "read", "rule", "escalate" })
        {
            var reason = $"Refused: {run} {line} was used hard";
            secrets.Add(reason);
            await ClaimAction(claims[line], PlatformRoles.Merchant, "refuse", new { reason });
        }
        await ClaimAction(claims["return"], PlatformRoles.Merchant, "accept", new { });
        await ClaimAction(repair, PlatformRoles.Merchant, "accept", new { });
        foreach (var line in new[] { "read", "rule" })
        {
            await ClaimAction(claims[line], PlatformRoles.Buyer, "escalate", new { statement = $"Statement on {line}: it was faulty from the start" });
        }

        Add("claim", ("id", claims["read"].ToString()));
        Add("claim awaiting the merchant's acceptance", ("id", claims["accept"].ToString()));
        Add("claim awaiting the merchant's refusal", ("id", claims["refuse"].ToString()));
        Add("refused claim", ("id", claims["escalate"].ToString()));
        Add("accepted return", ("id", claims["return"].ToString()));
        Add("accepted merchant repair", ("id", repair.ToString()));

        var read = await CaseOf(c => c.ClaimId == claims["read"], "the escalated claim opens a case");
        var ruled = await CaseOf(c => c.ClaimId == claims["rule"], "the second escalated claim opens a case");
        await Expect(await As("arbitration", PlatformRoles.Merchant).PostAsJsonAsync($"/cases/{ruled}/evidence",
                new { statement = "The merchant's answer: the item was used hard", links = Array.Empty<string>() }),
            HttpStatusCode.OK, "the merchant answers the case to be ruled");
        Add("merchant's case", ("caseId", read.ToString()));
        Add("answered case", ("caseId", ruled.ToString()));
    }

    private async Task<Guid> CaseOf(Func<CaseOpened, bool> match, string description)
    {
        var opened = await probe.WaitFor(match, Within, description);
        secrets.Add(opened.CaseId.ToString());
        return opened.CaseId;
    }

    private async Task SeedJobs()
    {
        var provider = As("repairdispatch", PlatformRoles.Provider);
        var lineOfClaim = new Dictionary<Guid, int>();
        foreach (var n in Enumerable.Range(1, 8))
        {
            lineOfClaim[await FileClaim($"{run}-order-old", $"{run}-j-{n}", "Repair")] = n;
        }
        var jobs = new Dictionary<int, Guid>();
        await Eventually.Until(async () =>
        {
            foreach (var job in (await provider.GetFromJsonAsync<JsonElement>("/jobs")).GetProperty("items").EnumerateArray())
            {
                if (lineOfClaim.TryGetValue(job.GetProperty("claimId").GetGuid(), out var n))
                {
                    jobs[n] = job.GetProperty("jobId").GetGuid();
                }
            }
            return jobs.Count == lineOfClaim.Count;
        }, Within, "each approved repair claim becomes a job dispatched to provider A");
        secrets.UnionWith(jobs.Values.Select(j => j.ToString()));

        foreach (var n in new[] { 5, 6, 7 })
        {
            await Expect(await provider.PostAsJsonAsync($"/jobs/{jobs[n]}/customer-contacted", new { bookedFor = DateTimeOffset.UtcNow.AddDays(1) }),
                HttpStatusCode.NoContent, $"provider A reports job {n}'s buyer contacted");
        }
        // No other provider serves the region: the declined job goes to the platform, through arbitration.
        await Expect(await provider.PostAsJsonAsync($"/jobs/{jobs[8]}/decline", new { reason = "No technician" }),
            HttpStatusCode.NoContent, "provider A declines the job to be escalated");
        var repairCase = await CaseOf(c => c.JobId == jobs[8], "the escalated job opens a case for repair operations");

        var deliveries = await provider.GetFromJsonAsync<JsonElement>($"/providers/{ProviderA}/webhook/deliveries");
        Add("webhook delivery", ("id", ProviderA), ("deliveryId", deliveries.GetProperty("items")[0].GetProperty("id").GetString()!));
        Add("job", ("id", jobs[1].ToString()));
        Add("dispatched job to accept", ("id", jobs[2].ToString()));
        Add("dispatched job to decline", ("id", jobs[3].ToString()));
        Add("dispatched job to report contacted", ("id", jobs[4].ToString()));
        Add("contacted job to report received", ("id", jobs[5].ToString()));
        Add("contacted job to report progress", ("id", jobs[6].ToString()));
        Add("contacted job to complete", ("id", jobs[7].ToString()));
        Add("repair operations' case", ("caseId", repairCase.ToString()));
    }

    private async Task SeedAppeals(string old)
    {
        var buyer = As("warranty", PlatformRoles.Buyer);
        var arbitration = await env.Database("arbitration");
        foreach (var line in new[] { "appeal-1", "appeal-2" })
        {
            var answer = await Expect(await buyer.PostAsJsonAsync($"/warranties/{old}/{run}-c-{line}/reopen",
                    new { fault = "QualityFault", faultDescription = $"Reopen {line}: the seam split" }),
                HttpStatusCode.OK, $"the buyer asks to reopen {line}");
            Assert.True(answer.GetProperty("outcome").GetString() == "Denied" && answer.GetProperty("appealMayHelp").GetBoolean(),
                $"seeding: the reopen of {line} was not denied with an appeal open: {answer}");
            var request = answer.GetProperty("requestId").GetGuid();
            secrets.Add(request.ToString());
            // The appeal's precondition is Arbitration's copy of the decision; nothing announces that it was kept.
            await Eventually.Until(async () => await arbitration.Scalar<long>("select count(*) from appealable_decisions where decision_id = $1", request) == 1,
                Within, $"Arbitration keeps the denial of {line} for an appeal");
            Add("appealable decision", ("reopenRequestId", request.ToString()));
        }
    }
}
