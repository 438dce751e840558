using Platform.ApiClients.ArbitrationApi;
using Platform.ApiClients.OrderApi;
using Platform.ApiClients.RepairDispatchApi;
using Platform.ApiClients.WarrantyApi;
using Platform.Contracts.Trade.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using ArbitrationModels = Platform.ApiClients.ArbitrationApi.Models;
using OrderModels = Platform.ApiClients.OrderApi.Models;
using RepairModels = Platform.ApiClients.RepairDispatchApi.Models;
using WarrantyModels = Platform.ApiClients.WarrantyApi.Models;

namespace Platform.ApiClients.Tests;

/// <summary>
/// Every operation of every service's document, called through the client Kiota generated from that document,
/// against the four services running on real PostgreSQL and RabbitMQ with tokens from the real issuer, in the
/// order a marketplace would: providers registered, an order completed by the trade system, claims filed,
/// answered, escalated and ruled on, a job declined, taken and carried out (the buyer reached through a virtual number,
/// the providers told by webhook), an entry's reopening denied and appealed. Each answer is read back through the generated models, and each service also answers a bad call
/// with the problem its document promises. The last step checks that no operation of any document was left out,
/// so an endpoint added without a call here fails this test.
/// </summary>
public sealed class GeneratedClientTests(RunningPlatform platform) : IClassFixture<RunningPlatform>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string Region = "310000";
    private const string Category = "phones";
    private const string BuyerPhone = "+8613800138000";
    private const string ServiceAddress = "Room 502, 18 Tianhe Road, Guangzhou";

    private readonly ApiCallers callers = new(platform);
    private readonly string buyer = Unique("buyer");
    private readonly string merchant = Unique("merchant");

    public void Dispose() => callers.Dispose();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];

    private WarrantyClient Warranty(string role, string party) => callers.Client("warranty", role, party, a => new WarrantyClient(a));
    private RepairDispatchClient Repair(string role, string party) => callers.Client("repairdispatch", role, party, a => new RepairDispatchClient(a));
    private ArbitrationClient Arbitration(string role, string party) => callers.Client("arbitration", role, party, a => new ArbitrationClient(a));
    private OrderClient Order(string role, string party) => callers.Client("order", role, party, a => new OrderClient(a));

    [Fact]
    public async Task Every_operation_of_every_document_works_through_its_generated_client()
    {
        var providers = await RegisterProviders();
        var (orderId, olderOrderId, seedsOrderId) = await CompleteOrders();
        await OrderOperations(orderId);
        var escalatedClaim = await ClaimOperations(orderId);
        var (repairClaim, repairJob) = await RepairOperations(olderOrderId, providers);
        await WebhookOperations(providers[0], repairJob);
        await WarrantyOperations(orderId, repairClaim);
        await ArbitrationOperations(seedsOrderId, escalatedClaim);
        await OperatorReads();

        foreach (var service in Documents.Services)
        {
            Assert.True(callers.NotCalled(service) is { Count: 0 }, $"{service}: not called through its client: {string.Join(", ", callers.NotCalled(service))}");
        }
    }

    /// <summary>Two providers for the order's region and category, and a third the operator suspends and reactivates.</summary>
    private async Task<string[]> RegisterProviders()
    {
        var admin = Repair(PlatformRoles.Operator, "op-1");
        string[] ids = [Unique("prov"), Unique("prov"), Unique("prov")];
        foreach (var id in ids)
        {
            var registered = await admin.Providers.PostAsync(
                new RepairModels.RegisterProviderRequest { Id = id, Regions = [Region], Categories = [Category], Capacity = 5 }, Idempotent.Key());
            Assert.Equal((id, RepairModels.ProviderStatus.Active, 5), (registered!.ProviderId, registered.Status, registered.Capacity));
        }
        var spare = ids[2];
        var updated = await admin.Providers[spare].PutAsync(new RepairModels.UpdateProviderRequest { Regions = ["110000"], Categories = ["computers"], Capacity = 2 }, Idempotent.Key());
        Assert.Equal((2, "110000"), (updated!.Capacity, updated.Regions!.Single()));
        // A body over the service's limit is refused unread, as a problem the generated client knows.
        var oversized = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() =>
            admin.Providers[spare].Suspend.PostAsync(new RepairModels.SuspendProviderRequest { Reason = new string('x', 2 << 20) }, Idempotent.Key()));
        Assert.Equal(413, oversized.ResponseStatusCode);
        var suspended = await admin.Providers[spare].Suspend.PostAsync(new RepairModels.SuspendProviderRequest { Reason = "Missed three callbacks." }, Idempotent.Key());
        Assert.Equal(RepairModels.ProviderStatus.Suspended, suspended!.Status);
        var reactivated = await admin.Providers[spare].Reactivate.PostAsync(Idempotent.Key());
        Assert.Equal(RepairModels.ProviderStatus.Active, reactivated!.Status);
        // The provider rotates its own broker password: a new one, shown once, for the same user and queue.
        var rotated = await Repair(PlatformRoles.Provider, spare).Providers[spare].BrokerCredentials.PostAsync(Idempotent.Key());
        Assert.Equal((true, $"repair-provider-{spare}"), (rotated!.User!.EndsWith(spare, StringComparison.Ordinal), rotated.Queue));
        Assert.False(string.IsNullOrEmpty(rotated.Password));
        // Another provider learns nothing of it, not even that it exists.
        var notOwn = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() =>
            Repair(PlatformRoles.Provider, ids[0]).Providers[spare].BrokerCredentials.PostAsync(Idempotent.Key()));
        Assert.Equal(404, notOwn.ResponseStatusCode);
        var gone = Unique("prov");
        await admin.Providers.PostAsync(new RepairModels.RegisterProviderRequest { Id = gone, Regions = ["990000"], Categories = [Category], Capacity = 1 }, Idempotent.Key());
        var removed = await admin.Providers[gone].DeleteAsync(Idempotent.Key());
        Assert.Equal((gone, RepairModels.ProviderStatus.Suspended), (removed!.ProviderId, removed.Status));
        var listed = await admin.Providers.GetAsync();
        Assert.Superset(ids.ToHashSet(), listed!.Select(p => p.ProviderId!).ToHashSet());
        Assert.Equal(Region, (await admin.Providers[ids[0]].GetAsync())!.Regions!.Single());
        var scorecard = await Repair(PlatformRoles.Provider, ids[0]).Providers[ids[0]].Scorecard.GetAsync();
        Assert.Equal((ids[0], 0), (scorecard!.ProviderId, scorecard.JobsDispatched));

        var missing = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() => admin.Providers["no-such-provider"].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);

        // The two that take jobs are told of them by webhook. Their endpoint's name resolves nowhere: every attempt fails, and the log says so.
        foreach (var id in ids[..2])
        {
            var own = Repair(PlatformRoles.Provider, id).Providers[id].Webhook;
            var registered = await own.PutAsync(new RepairModels.RegisterWebhookRequest { Url = "https://hooks.provider.example/hooks" }, Idempotent.Key());
            Assert.Equal((id, "https://hooks.provider.example/hooks"), (registered!.ProviderId, registered.Url));
            Assert.False(string.IsNullOrEmpty(registered.Secret), "a first registration answers the signing secret");
            var changed = await own.PutAsync(new RepairModels.RegisterWebhookRequest { Url = "https://hooks.provider.example/webhook" }, Idempotent.Key());
            Assert.Equal(("https://hooks.provider.example/webhook", null), (changed!.Url, changed.Secret));
        }
        var plainHttp = await Assert.ThrowsAsync<RepairModels.HttpValidationProblemDetails>(() =>
            Repair(PlatformRoles.Provider, ids[0]).Providers[ids[0]].Webhook.PutAsync(new RepairModels.RegisterWebhookRequest { Url = "http://127.0.0.1:1/webhook" }, Idempotent.Key()));
        Assert.Contains("url", plainHttp.Errors!.AdditionalData.Keys);
        var othersWebhook = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() => Repair(PlatformRoles.Provider, ids[1]).Providers[ids[0]].Webhook.GetAsync());
        Assert.Equal(403, othersWebhook.ResponseStatusCode);
        return ids[..2];
    }

    /// <summary>
    /// An order of four phones completed today (the merchant answers its claims), a phone completed 30 days ago (past
    /// the 15 days of replacement: the brand repairs it under the national warranty), and seeds completed 60 days ago
    /// (their 15-day entry closed).
    /// </summary>
    private async Task<(string Order, string Older, string Seeds)> CompleteOrders()
    {
        var orderId = Unique("order");
        var olderId = Unique("older");
        var seedsId = Unique("seeds");
        var now = platform.Env.TimeProvider.GetUtcNow();
        OrderLine Phone(string lineId) => new()
        {
            LineId = lineId, Sku = "SKU-PHONE-1", Title = "Phone 15, 256 GB", Category = Category, Brand = "Acme", UnitPrice = 4999m, Quantity = 1,
            ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0,
        };
        await Publish(orderId, now, Phone("L1"), Phone("L2"), Phone("L3"),
            Phone("L4") with { ExtendedWarranty = new ExtendedWarrantyPurchase { PlanYears = 2, PricePaid = 299m, IncludesAccidentalDamage = false } });
        await Publish(olderId, now.AddDays(-30), Phone("L1"));
        await Publish(seedsId, now.AddDays(-60), Phone("L1") with { Category = "seeds", Sku = "SKU-SEEDS-1", Title = "Tomato seeds, 200", ManufacturerWarrantyMonths = 0 });
        var warranty = Warranty(PlatformRoles.Buyer, buyer);
        foreach (var (order, line) in new[] { (orderId, "L1"), (orderId, "L4"), (olderId, "L1"), (seedsId, "L1") })
        {
            await Eventually.Until(async () =>
            {
                try
                {
                    return await warranty.Warranties[order][line].GetAsync() is not null;
                }
                catch (WarrantyModels.ProblemDetails e) when (e.ResponseStatusCode == 404)
                {
                    return false;
                }
            }, Deadline, $"the trade events complete order {order} and Warranty activates line {line}");
        }
        return (orderId, olderId, seedsId);
    }

    private async Task Publish(string orderId, DateTimeOffset at, params OrderLine[] lines)
    {
        await platform.Probe.Publish(new OrderPlaced { OrderId = orderId, BuyerId = buyer, MerchantId = merchant, ShippingRegion = Region, Lines = lines, PlacedAt = at });
        await platform.Probe.Publish(new OrderPaid { OrderId = orderId, PaidAt = at });
        await platform.Probe.Publish(new OrderShipped { OrderId = orderId, ShippedAt = at });
        await platform.Probe.Publish(new OrderDelivered { OrderId = orderId, DeliveredAt = at });
        await platform.Probe.Publish(new OrderReceiptConfirmed { OrderId = orderId, ConfirmedAt = at });
    }

    private async Task OrderOperations(string orderId)
    {
        var order = await Order(PlatformRoles.Buyer, buyer).Orders[orderId].GetAsync();
        Assert.Equal((orderId, merchant, OrderModels.OrderStatus.Completed), (order!.OrderId, order.MerchantId, order.Status));

        // Another merchant's view of the order is the documented 404, not the order.
        var stranger = await Assert.ThrowsAsync<OrderModels.ProblemDetails>(() => Order(PlatformRoles.Merchant, Unique("merchant")).Orders[orderId].GetAsync());
        Assert.Equal((404, "Not found"), (stranger.ResponseStatusCode, stranger.Title));
        // No token: the documented 401, as problem details.
        var anonymous = callers.Client("order", null, null, a => new OrderClient(a));
        var unauthorized = await Assert.ThrowsAsync<OrderModels.ProblemDetails>(() => anonymous.Orders[orderId].GetAsync());
        Assert.Equal(401, unauthorized.ResponseStatusCode);
    }

    /// <summary>L1: a return accepted and taken back. L2: refused by the merchant and escalated by the buyer (returned for Arbitration).</summary>
    private async Task<Guid> ClaimOperations(string orderId)
    {
        var asBuyer = Warranty(PlatformRoles.Buyer, buyer);
        var asMerchant = Warranty(PlatformRoles.Merchant, merchant);

        var returned = await FileClaim(asBuyer, orderId, "L1", WarrantyModels.FileClaimRequest_remedyAsked.Return);
        Assert.Equal((WarrantyModels.ClaimStatus.AwaitingMerchant, WarrantyModels.Remedy.Return), (returned.Status, returned.RemedyAsked));
        var page = await asMerchant.Claims.GetAsync(q => q.QueryParameters.OrderId = orderId);
        Assert.Contains(page!.Items!, c => c.ClaimId == returned.ClaimId && c.AwaitingMerchant == true);
        var acceptKey = Guid.NewGuid();
        var accepted = await asMerchant.Claims[returned.ClaimId!.Value].Accept.PostAsync(Idempotent.Key(acceptKey));
        Assert.Equal(returned.ClaimId, accepted!.ClaimId);
        Assert.NotNull(accepted.Approval);
        var taken = await asMerchant.Claims[returned.ClaimId.Value].ReturnAccepted.PostAsync(Idempotent.Key());
        Assert.Equal(WarrantyModels.ClaimStatus.Resolved, taken!.Status);
        // The goods taken back, their price goes back to the buyer at the merchant's cost, instructed to the trade system.
        Assert.Equal((WarrantyModels.PaymentReason.ReturnAccepted, 4999d, "CNY", WarrantyModels.Payer.Merchant, returned.ClaimId, WarrantyModels.PaymentStatus.Instructed),
            (taken.Refund!.Reason, taken.Refund.Amount, taken.Refund.Currency, taken.Refund.PaidBy, taken.Refund.ClaimId, taken.Refund.Status));

        var disputed = await FileClaim(asBuyer, orderId, "L2", WarrantyModels.FileClaimRequest_remedyAsked.Return);
        var refused = await asMerchant.Claims[disputed.ClaimId!.Value].Refuse.PostAsync(
            new WarrantyModels.RefuseClaimRequest { Reason = "The phone was dropped; the screen is cracked.", EvidenceLinks = ["https://evidence.example/drop.jpg"] }, Idempotent.Key());
        Assert.Equal(WarrantyModels.ClaimStatus.RefusedByMerchant, refused!.Status);
        var escalated = await asBuyer.Claims[disputed.ClaimId.Value].Escalate.PostAsync(
            new WarrantyModels.EscalateClaimRequest { Statement = "It flickered before any drop.", EvidenceLinks = [] }, Idempotent.Key());
        Assert.Equal(WarrantyModels.ClaimStatus.Escalated, escalated!.Status);
        Assert.Equal(WarrantyModels.ClaimStatus.Escalated, (await asBuyer.Claims[disputed.ClaimId.Value].GetAsync())!.Status);

        // The key of the first acceptance sent again with it: its first answer, acting nothing twice; with another request: the documented 422.
        var replayed = await asMerchant.Claims[returned.ClaimId.Value].Accept.PostAsync(Idempotent.Key(acceptKey));
        Assert.Equal((accepted.Status, accepted.Approval.RemedyGranted), (replayed!.Status, replayed.Approval!.RemedyGranted));
        var reused = await Assert.ThrowsAsync<WarrantyModels.ProblemDetails>(() => asMerchant.Claims[disputed.ClaimId.Value].Accept.PostAsync(Idempotent.Key(acceptKey)));
        Assert.Equal((422, "IdempotencyKeyReused"), (reused.ResponseStatusCode, reused.Code));
        // No key at all: the documented 400 naming the header.
        var unkeyed = await Assert.ThrowsAsync<WarrantyModels.HttpValidationProblemDetails>(() => asMerchant.Claims[disputed.ClaimId.Value].Accept.PostAsync());
        Assert.Equal(400, unkeyed.ResponseStatusCode);
        Assert.Contains(Idempotent.Header, unkeyed.Errors!.AdditionalData.Keys);
        return disputed.ClaimId.Value;
    }

    private static async Task<WarrantyModels.ClaimView> FileClaim(WarrantyClient client, string orderId, string lineId, WarrantyModels.FileClaimRequest_remedyAsked remedy,
        string? phone = null, string? address = null)
    {
        var claimId = Guid.NewGuid();
        var filed = await client.Claims.PostAsync(new WarrantyModels.FileClaimRequest
        {
            OrderId = orderId, LineId = lineId, Fault = WarrantyModels.FileClaimRequest_fault.QualityFault, FaultDescription = "The screen flickers from the first day.", RemedyAsked = remedy,
            BuyerPhone = phone, ServiceAddress = address,
        }, Idempotent.Key(claimId));
        Assert.Equal((claimId, orderId, lineId), (filed!.ClaimId, filed.OrderId, filed.LineId));
        return filed;
    }

    /// <summary>
    /// The older phone: a repair the brand answers, dispatched to a provider that declines it, then taken and carried out
    /// by the other, who alone reaches the buyer. Answers the claim and the job.
    /// </summary>
    private async Task<(Guid Claim, Guid Job)> RepairOperations(string orderId, string[] providers)
    {
        var claim = await FileClaim(Warranty(PlatformRoles.Buyer, buyer), orderId, "L1", WarrantyModels.FileClaimRequest_remedyAsked.Repair, BuyerPhone, ServiceAddress);
        Assert.Equal(WarrantyModels.ClaimStatus.InService, claim.Status);

        var (first, job) = await DispatchedJob(providers, orderId);
        var declining = Repair(PlatformRoles.Provider, first);
        await declining.Jobs[job].Decline.PostAsync(
            new RepairModels.DeclineRequest { ReasonCode = RepairModels.DeclineRequest_reasonCode.NoCapacity, Reason = "No technician free this week." }, Idempotent.Key());
        var (second, again) = await DispatchedJob(providers.Where(p => p != first).ToArray(), orderId);
        Assert.Equal(job, again);
        var declined = Assert.Single((await declining.Jobs[job].Reports.GetAsync())!);
        Assert.Equal((job, 1, RepairModels.JobReportKind.Decline, "NoCapacity", "No technician free this week."),
            (declined.JobId, declined.Attempt, declined.Kind, declined.Code, declined.Note));
        // The number is the second provider's now: the first is told it is gone.
        var withdrawn = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() => declining.Jobs[job].Contact.GetAsync());
        Assert.Equal((410, "ContactWithdrawn"), (withdrawn.ResponseStatusCode, withdrawn.Code));

        var provider = Repair(PlatformRoles.Provider, second);
        var view = await provider.Jobs[job].GetAsync();
        Assert.Equal((claim.ClaimId, orderId, "L1", RepairModels.JobStatus.InProgress), (view!.ClaimId, view.OrderId, view.LineId, view.Status));
        Assert.Equal(2, view.Attempt);
        var contact = await provider.Jobs[job].Contact.GetAsync();
        Assert.Equal((job, 2, ServiceAddress), (contact!.JobId, contact.Attempt, contact.ServiceAddress));
        Assert.False(string.IsNullOrEmpty(contact.VirtualNumber) || contact.VirtualNumber == BuyerPhone, $"a virtual number, not the buyer's own: {contact.VirtualNumber}");
        await provider.Jobs[job].Accept.PostAsync(Idempotent.Key());
        await provider.Jobs[job].CustomerContacted.PostAsync(new RepairModels.CustomerContactedRequest { BookedFor = platform.Env.TimeProvider.GetUtcNow().AddDays(1) }, Idempotent.Key());
        await provider.Jobs[job].DeviceReceived.PostAsync(Idempotent.Key());
        await provider.Jobs[job].Progress.PostAsync(new RepairModels.ProgressRequest
        {
            ProgressCode = RepairModels.ProgressRequest_progressCode.AwaitingParts, Progress = "Screen ordered from the brand.", AttachmentLinks = ["https://evidence.example/order.pdf"],
        }, Idempotent.Key());
        await provider.Jobs[job].Complete.PostAsync(new RepairModels.CompletionRequest { Outcome = RepairModels.CompletionRequest_outcome.Repaired, Report = "Screen replaced; flicker gone." }, Idempotent.Key());
        var done = await provider.Jobs[job].GetAsync();
        Assert.Equal((RepairModels.JobStatus.Completed, RepairModels.RepairOutcome.Repaired), (done!.Status, done.Outcome));

        // Reporting again on a job that has ended: the documented 409 with the domain's code.
        var late = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() => provider.Jobs[job].Progress.PostAsync(new RepairModels.ProgressRequest { Progress = "Again." }, Idempotent.Key()));
        Assert.Equal(409, late.ResponseStatusCode);
        Assert.False(string.IsNullOrEmpty(late.Code));

        var reports = await Repair(PlatformRoles.Operator, "op-1").Jobs[job].Reports.GetAsync();
        Assert.Equal([(RepairModels.JobReportKind.Decline, first, "NoCapacity"), (RepairModels.JobReportKind.Progress, second, "AwaitingParts")],
            reports!.OrderBy(r => r.ReportedAt).Select(r => (r.Kind, r.ProviderId, r.Code)));
        Assert.Equal("https://evidence.example/order.pdf", reports!.Single(r => r.Kind == RepairModels.JobReportKind.Progress).AttachmentLinks!.Single());
        return (claim.ClaimId!.Value, job);
    }

    /// <summary>
    /// The provider's webhook log: the job's dispatch recorded as a delivery (attempted, never delivered: nothing listens),
    /// read, sent again, the secret rotated, and the webhook removed.
    /// </summary>
    private async Task WebhookOperations(string providerId, Guid job)
    {
        var webhook = Repair(PlatformRoles.Provider, providerId).Providers[providerId].Webhook;
        RepairModels.WebhookDeliveryView? delivery = null;
        await Eventually.Until(async () => (delivery = (await webhook.Deliveries.GetAsync())!.Items!.FirstOrDefault(d => d.JobId == job)) is not null,
            Deadline, $"the job's dispatch is recorded as a webhook delivery to {providerId}");
        Assert.Equal("job.dispatched", delivery!.Type);
        var detail = await webhook.Deliveries[delivery.Id!.Value].GetAsync();
        Assert.Equal((delivery.Id, job), (detail!.Delivery!.Id, detail.Delivery.JobId));
        Assert.Equal(job.ToString(), detail.Body!.AdditionalData["jobId"]?.ToString());
        var badStatus = await Assert.ThrowsAsync<RepairModels.HttpValidationProblemDetails>(() => webhook.Deliveries.GetAsync(q => q.QueryParameters.Status = "Lost"));
        Assert.Contains("status", badStatus.Errors!.AdditionalData.Keys);

        var queued = await webhook.Deliveries[delivery.Id.Value].Redeliver.PostAsync(Idempotent.Key());
        Assert.Equal((delivery.Id, RepairModels.DeliveryStatus.Pending), (queued!.Id, queued.Status));

        var before = await webhook.GetAsync();
        Assert.Equal(("https://hooks.provider.example/webhook", null), (before!.Url, before.Secret));
        var rotated = await webhook.Secret.PostAsync(Idempotent.Key());
        Assert.False(string.IsNullOrEmpty(rotated!.Secret), "a rotation answers the new secret");
        Assert.True(rotated.SecretRotatedAt >= before.SecretRotatedAt);

        await webhook.DeleteAsync(Idempotent.Key());
        var gone = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() => webhook.GetAsync());
        Assert.Equal(404, gone.ResponseStatusCode);
        // The log stays; sending to a webhook that is no longer there is the documented 409.
        var nowhere = await Assert.ThrowsAsync<RepairModels.ProblemDetails>(() => webhook.Deliveries[delivery.Id.Value].Redeliver.PostAsync(Idempotent.Key()));
        Assert.Equal((409, "NoWebhookRegistered"), (nowhere.ResponseStatusCode, nowhere.Code));
    }

    /// <summary>Which of <paramref name="providers"/> holds the order's job now, as its worklist says.</summary>
    private async Task<(string Provider, Guid Job)> DispatchedJob(string[] providers, string orderId)
    {
        (string, Guid)? found = null;
        await Eventually.Until(async () =>
        {
            foreach (var id in providers)
            {
                var page = await Repair(PlatformRoles.Provider, id).Jobs.GetAsync(q => q.QueryParameters.OrderId = orderId);
                if (page!.Items!.FirstOrDefault() is { JobId: { } job })
                {
                    found = (id, job);
                    return true;
                }
            }
            return false;
        }, Deadline, $"the repair of order {orderId} is dispatched to one of {string.Join(", ", providers)}");
        return found!.Value;
    }

    private async Task WarrantyOperations(string orderId, Guid repairClaim)
    {
        var asBuyer = Warranty(PlatformRoles.Buyer, buyer);
        var file = await asBuyer.Warranties[orderId]["L1"].GetAsync();
        Assert.Equal((orderId, "L1"), (file!.OrderId, file.LineId));
        Assert.Equal(WarrantyModels.PaymentReason.ReturnAccepted, Assert.Single(file.Payments!).Reason);
        var mine = await asBuyer.Warranties.GetAsync(q => q.QueryParameters.OrderId = orderId);
        Assert.Equal(["L1", "L2", "L3", "L4"], mine!.Items!.Select(w => w.LineId!).Order(StringComparer.Ordinal));

        // L3: a repair within the merchant's days, accepted and carried out by the merchant itself.
        var repair = await FileClaim(asBuyer, orderId, "L3", WarrantyModels.FileClaimRequest_remedyAsked.Repair);
        var asMerchant = Warranty(PlatformRoles.Merchant, merchant);
        await asMerchant.Claims[repair.ClaimId!.Value].Accept.PostAsync(Idempotent.Key());
        var repaired = await asMerchant.Claims[repair.ClaimId.Value].RepairCompleted.PostAsync(new WarrantyModels.RepairCompletedRequest { Outcome = WarrantyModels.RepairCompletedRequest_outcome.Repaired }, Idempotent.Key());
        Assert.Equal(WarrantyModels.ClaimStatus.Resolved, repaired!.Status);

        var plan = await asBuyer.Warranties[orderId]["L4"].ExtendedWarranty.Cancel.PostAsync(Idempotent.Key());
        Assert.Equal(2, plan!.PlanYears);
        Assert.NotNull(plan.Cancellation);
        var planRefund = Assert.Single((await asBuyer.Warranties[orderId]["L4"].GetAsync())!.Payments!);
        Assert.Equal((WarrantyModels.PaymentReason.ExtendedWarrantyCancelled, WarrantyModels.Payer.ExtendedWarrantyPlan), (planRefund.Reason, planRefund.PaidBy));

        // The merchant reports its own repair on a claim the brand's provider repairs: the documented 409.
        var notMine = await Assert.ThrowsAsync<WarrantyModels.ProblemDetails>(() =>
            asMerchant.Claims[repairClaim].RepairCompleted.PostAsync(new WarrantyModels.RepairCompletedRequest { Outcome = WarrantyModels.RepairCompletedRequest_outcome.Repaired }, Idempotent.Key()));
        Assert.Equal((409, "RepairedByProvider"), (notMine.ResponseStatusCode, notMine.Code));
    }

    /// <summary>The escalated claim's case answered and ruled; the seeds' denied reopening appealed.</summary>
    private async Task ArbitrationOperations(string seedsOrderId, Guid escalatedClaim)
    {
        var asMerchant = Arbitration(PlatformRoles.Merchant, merchant);
        ArbitrationModels.CaseListItem? listed = null;
        await Eventually.Until(async () => (listed = (await asMerchant.Cases.GetAsync(q => q.QueryParameters.ClaimId = escalatedClaim))!.Items!.FirstOrDefault()) is not null,
            Deadline, "the escalation opens a case the merchant answers");
        var caseId = listed!.CaseId!.Value;
        var opened = await asMerchant.Cases[caseId].GetAsync();
        Assert.Equal((escalatedClaim, ArbitrationModels.CaseStatus.AwaitingRespondent), (opened!.ClaimId, opened.Status));
        var answered = await asMerchant.Cases[caseId].Evidence.PostAsync(
            new ArbitrationModels.EvidenceRequest { Statement = "The drop is on the courier's photo.", Links = ["https://evidence.example/courier.jpg"] }, Idempotent.Key());
        Assert.Equal(ArbitrationModels.CaseStatus.AwaitingRuling, answered!.Status);
        var ruled = await Arbitration(PlatformRoles.Arbitrator, RunningPlatform.Arbitrator).Cases[caseId].Ruling.PostAsync(
            new ArbitrationModels.RulingRequest
            {
                InFavourOf = ArbitrationModels.RulingRequest_inFavourOf.Buyer, Remedy = ArbitrationModels.RulingRequest_remedy.Compensation, Amount = 300, Rationale = "The flicker predates the drop.",
            }, Idempotent.Key());
        Assert.Equal((ArbitrationModels.CaseStatus.Ruled, ArbitrationModels.CaseParty.Buyer), (ruled!.Status, ruled.Ruling!.InFavourOf));
        // The compensation is instructed for the trade system to pay, at the losing merchant's cost, under the case's id.
        Assert.Equal((caseId, 300d, "CNY", ArbitrationModels.RespondentKind.Merchant, ArbitrationModels.PaymentStatus.Instructed),
            (ruled.Compensation!.InstructionId, ruled.Compensation.Amount, ruled.Compensation.Currency, ruled.Compensation.PaidBy, ruled.Compensation.Status));

        var denial = await Warranty(PlatformRoles.Buyer, buyer).Warranties[seedsOrderId]["L1"].Reopen.PostAsync(
            new WarrantyModels.ReopenEntryRequest { Fault = WarrantyModels.ReopenEntryRequest_fault.QualityFault, FaultDescription = "The seeds look mouldy." }, Idempotent.Key());
        Assert.Equal("Denied", denial!.Outcome);
        var appellant = Arbitration(PlatformRoles.Buyer, buyer);
        ArbitrationModels.CaseView? appeal = null;
        await Eventually.Until(async () =>
        {
            try
            {
                appeal = await appellant.Appeals.PostAsync(new ArbitrationModels.AppealRequest
                {
                    Subject = ArbitrationModels.AppealRequest_subject.ReopenDenied, ReopenRequestId = denial.RequestId, Statement = "The mould is why they never sprouted.",
                }, Idempotent.Key());
                return true;
            }
            catch (ArbitrationModels.ProblemDetails e) when (e.ResponseStatusCode == 404)
            {
                return false;
            }
        }, Deadline, "Arbitration knows the denial and opens a case on appeal");
        Assert.Equal((denial.RequestId, seedsOrderId), (appeal!.ReopenRequestId, appeal.OrderId));

        // A ruling by a buyer: the documented 403.
        var forbidden = await Assert.ThrowsAsync<ArbitrationModels.ProblemDetails>(() => appellant.Cases[appeal.CaseId!.Value].Ruling.PostAsync(
            new ArbitrationModels.RulingRequest { InFavourOf = ArbitrationModels.RulingRequest_inFavourOf.Buyer, Remedy = ArbitrationModels.RulingRequest_remedy.ReopenEntry, Rationale = "Mine." }, Idempotent.Key()));
        Assert.Equal(403, forbidden.ResponseStatusCode);
    }

    private async Task OperatorReads()
    {
        var stale = await Arbitration(PlatformRoles.Operator, "op-1").Operations.StaleCases.GetAsync();
        Assert.NotNull(stale);
        Assert.NotNull(await Order(PlatformRoles.Operator, "op-1").Operations.Refusals.GetAsync());
        Assert.NotNull(await Warranty(PlatformRoles.Operator, "op-1").Operations.Refusals.GetAsync());
        Assert.NotNull(await Repair(PlatformRoles.Operator, "op-1").Operations.Refusals.GetAsync());
        Assert.NotNull(await Arbitration(PlatformRoles.Operator, "op-1").Operations.Refusals.GetAsync());
        var notOperator = await Assert.ThrowsAsync<WarrantyModels.ProblemDetails>(() => Warranty(PlatformRoles.Buyer, buyer).Operations.Refusals.GetAsync());
        Assert.Equal(403, notOperator.ResponseStatusCode);

        // The console's operator reads: each service's dead letters (and a move of a queue nothing was dead-lettered to),
        // every provider's jobs with one job's attempts, and a provider's breaches.
        Assert.NotNull(await Order(PlatformRoles.Operator, "op-1").Operations.DeadLetters.GetAsync());
        Assert.NotNull(await Warranty(PlatformRoles.Operator, "op-1").Operations.DeadLetters.GetAsync());
        Assert.NotNull(await Arbitration(PlatformRoles.Operator, "op-1").Operations.DeadLetters.GetAsync());
        var repair = Repair(PlatformRoles.Operator, "op-1");
        Assert.NotNull(await repair.Operations.DeadLetters.GetAsync());
        Assert.Equal(0, (await Order(PlatformRoles.Operator, "op-1").Operations.DeadLetters["order-trade-events_skipped"].Move.PostAsync(c => c.Headers.Add(Idempotent.Header, Guid.NewGuid().ToString())))!.Moved);
        Assert.Equal(0, (await Warranty(PlatformRoles.Operator, "op-1").Operations.DeadLetters["warranty-order-completed_skipped"].Move.PostAsync(c => c.Headers.Add(Idempotent.Header, Guid.NewGuid().ToString())))!.Moved);
        Assert.Equal(0, (await repair.Operations.DeadLetters["repairdispatch-claim-approved_skipped"].Move.PostAsync(c => c.Headers.Add(Idempotent.Header, Guid.NewGuid().ToString())))!.Moved);
        Assert.Equal(0, (await Arbitration(PlatformRoles.Operator, "op-1").Operations.DeadLetters["arbitration-claim-escalated_skipped"].Move.PostAsync(c => c.Headers.Add(Idempotent.Header, Guid.NewGuid().ToString())))!.Moved);
        var jobs = new List<RepairModels.WatchedJob>();
        foreach (var status in new[] { "InProgress", "Completed", "Escalated" })
        {
            jobs.AddRange((await repair.Operations.Jobs.GetAsync(c => c.QueryParameters.Status = status))!.Items!);
        }
        var job = Assert.IsType<RepairModels.WatchedJob>(jobs.FirstOrDefault(), exactMatch: false);
        var history = await repair.Operations.Jobs[job.JobId!.Value].GetAsync();
        Assert.Equal(job.JobId, history!.JobId);
        Assert.NotEmpty(history.Attempts!);
        Assert.NotNull(await repair.Providers[history.Attempts![0].ProviderId!].Breaches.GetAsync());
    }
}
