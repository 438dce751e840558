using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Platform.Contracts.Warranty.V1;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>
/// Plays buyers, customer service and merchants over the Warranty API: one story per order, from the warranty's
/// activation to the claim's end.
/// </summary>
public sealed class Customers(World world)
{
    private static readonly string[] Photos = ["https://evidence.example/photos/1.jpg", "https://evidence.example/photos/2.jpg"];
    private readonly ConcurrentDictionary<Guid, PlannedOrder> claims = new();

    /// <summary>Each claim as its filing answered: the adjudication is part of that answer.</summary>
    private readonly ConcurrentDictionary<Guid, JsonElement> filed = new();

    /// <summary>The claims filed so far, for the summary to read back.</summary>
    public IReadOnlyDictionary<Guid, PlannedOrder> Claims => claims;

    /// <summary>Whether the merchant of this claim answers the arbitration case it is taken to.</summary>
    public bool MerchantAnswersCase(Guid claimId) =>
        claims.TryGetValue(claimId, out var order) && order.Story == Story.RefusedThenMerchantAnswersCase;

    public async Task Play(PlannedOrder order, CancellationToken ct)
    {
        await WarrantiesActive(order, ct);
        var warranty = world.Apis.Warranty;
        switch (order.Story)
        {
            case Story.Quiet:
                return;

            case Story.ReturnAccepted:
            {
                var claim = await File(order, FaultKind.QualityFault, Remedy.Return, "Stopped working on the second day.", ct);
                Status(claim, "AwaitingMerchant", "waiting for the merchant");
                await warranty.Expect($"/claims/{claim}/accept", PlatformRoles.Merchant, order.MerchantId, null, ct);
                await warranty.Expect($"/claims/{claim}/return-accepted", PlatformRoles.Merchant, order.MerchantId, null, ct);
                await Settled(claim, ct);
                return;
            }

            case Story.ReturnAcceptedBySilence:
            {
                var claim = await File(order, FaultKind.DeadOnArrival, Remedy.Return, "It does not switch on.", ct);
                Status(claim, "AwaitingMerchant", "waiting for the merchant");
                // The merchant says nothing: after 48 business hours the claim is accepted on its behalf.
                await world.Until($"claim {claim} to be accepted by the merchant's silence", async c => (await Claim(claim, c)).Text("status") == "InService", ct);
                await warranty.Expect($"/claims/{claim}/return-accepted", PlatformRoles.Merchant, order.MerchantId, null, ct);
                await Settled(claim, ct);
                return;
            }

            case Story.RefusedThenMerchantAnswersCase or Story.RefusedThenMerchantSilentInCase:
            {
                var claim = await File(order, FaultKind.NotAsDescribed, Remedy.Return, "Smaller than the listing says.", ct);
                Status(claim, "AwaitingMerchant", "waiting for the merchant");
                await warranty.Expect($"/claims/{claim}/refuse", PlatformRoles.Merchant, order.MerchantId,
                    new { reason = "The item matches the listing; the buyer measured it wrongly.", evidenceLinks = Photos }, ct);
                await warranty.Expect($"/claims/{claim}/escalate", PlatformRoles.Buyer, order.BuyerId,
                    new { statement = "The listing gives other measurements than the item has; photos attached.", evidenceLinks = Photos }, ct);
                await Settled(claim, ct);
                return;
            }

            case Story.WrongBuyerNamed:
            {
                // Customer service types another customer's id: the claim is refused, and nothing of that customer leaks.
                var claim = await File(order, FaultKind.QualityFault, Remedy.Repair, "The fan is loud.", ct, filedForBuyer: $"{order.BuyerId}-other");
                await Rejected(claim, ClaimRejectionReason.NotBuyer, ct);
                return;
            }

            case Story.AccidentalDamageWithoutPlan:
            {
                var claim = await File(order, FaultKind.AccidentalDamage, Remedy.Repair, "Dropped it; the screen cracked.", ct);
                await Rejected(claim, ClaimRejectionReason.AccidentalDamageNotCovered, ct);
                return;
            }

            case Story.SeedsNeverSprouted:
            {
                // Customer service asks on the buyer's behalf; the entry closed 15 days after the sale.
                var reopen = await warranty.Expect($"/warranties/{order.OrderId}/{order.Line.LineId}/reopen", PlatformRoles.CustomerService, world.CustomerServiceAgent,
                    new { buyerId = order.BuyerId, fault = FaultKind.LongDiscoveryDefect, faultDescription = "Sown five weeks ago; none has sprouted." }, ct,
                    idempotencyKey: Guid.NewGuid().ToString());
                if (reopen.Body.Text("outcome") != "Reopened")
                {
                    throw new UnexpectedAnswerException($"reopening {order.OrderId}/{order.Line.LineId} for seeds that never sprouted: {reopen}");
                }
                var claim = await File(order, FaultKind.LongDiscoveryDefect, Remedy.Return, "None of the 200 seeds sprouted.", ct);
                Status(claim, "AwaitingMerchant", "waiting for the merchant");
                await warranty.Expect($"/claims/{claim}/accept", PlatformRoles.Merchant, order.MerchantId, null, ct);
                await warranty.Expect($"/claims/{claim}/return-accepted", PlatformRoles.Merchant, order.MerchantId, null, ct);
                await Settled(claim, ct);
                return;
            }

            case Story.ExtendedWarrantyCancelled:
            {
                var path = $"/warranties/{order.OrderId}/{order.Line.LineId}";
                var cancelled = await warranty.Expect($"{path}/extended-warranty/cancel", PlatformRoles.Buyer, order.BuyerId, null, ct);
                // Refused as done already after a try that got no answer: the warranty shows what that try did.
                var cancellation = cancelled.IsSuccess
                    ? cancelled.Body.Child("cancellation")
                    : (await warranty.Get(path, PlatformRoles.Buyer, order.BuyerId, ct)).Body.Child("extendedWarranty").Child("cancellation");
                if (cancellation.Text("refundBasis") != "FullBeforeCoverageStart")
                {
                    throw new UnexpectedAnswerException($"cancelling a plan that has not started refunds it in full, but: {cancelled}");
                }
                return;
            }

            case Story.BrandRepair:
            {
                var claim = await File(order, FaultKind.QualityFault, Remedy.Repair, "The device restarts by itself.", ct);
                Answered(claim, ResponsibleParty.Brand);
                await Settled(claim, ct);
                return;
            }

            case Story.ExtendedWarrantyRepair:
            {
                var claim = await File(order, FaultKind.AccidentalDamage, Remedy.Repair, "Fell from the table; the back glass broke.", ct);
                Answered(claim, ResponsibleParty.ExtendedWarrantyProgramme);
                await Settled(claim, ct);
                return;
            }
        }
    }

    /// <summary>The phone and service address the buyer gives with a claim, made up per order, so what a provider is given can be checked.</summary>
    public static (string Phone, string Address) ContactOf(PlannedOrder order) =>
        ($"+86139{(uint)StringComparer.Ordinal.GetHashCode(order.OrderId) % 100_000_000:D8}", $"Flat 8, Building 3, {order.OrderId} Road, province {order.Region}");

    private async Task WarrantiesActive(PlannedOrder order, CancellationToken ct)
    {
        foreach (var line in order.Lines)
        {
            await world.Until($"the warranty of {order.OrderId}/{line.LineId}", async c =>
                (await world.Apis.Warranty.Get($"/warranties/{order.OrderId}/{line.LineId}", PlatformRoles.Buyer, order.BuyerId, c)).Status == HttpStatusCode.OK, ct);
        }
    }

    private async Task<Guid> File(PlannedOrder order, FaultKind fault, Remedy remedy, string description, CancellationToken ct, string? filedForBuyer = null)
    {
        var claimId = Guid.NewGuid();
        claims[claimId] = order;
        var (phone, address) = ContactOf(order);
        var body = new
        {
            orderId = order.OrderId, lineId = order.Line.LineId, buyerId = filedForBuyer, fault, faultDescription = description, remedyAsked = remedy,
            evidenceLinks = Photos, buyerPhone = phone, serviceAddress = address,
        };
        var answer = filedForBuyer is null
            ? await world.Apis.Warranty.Post("/claims", PlatformRoles.Buyer, order.BuyerId, body, ct, claimId.ToString())
            : await world.Apis.Warranty.Post("/claims", PlatformRoles.CustomerService, world.CustomerServiceAgent, body, ct, claimId.ToString());
        if (answer.Status != HttpStatusCode.Created && answer.Status != HttpStatusCode.OK)
        {
            throw new UnexpectedAnswerException($"filing a claim on {order.OrderId}: {answer}");
        }
        world.Progress.ClaimFiled();
        filed[claimId] = answer.Body;
        return claimId;
    }

    private void Status(Guid claimId, string status, string what)
    {
        if (filed[claimId].Text("status") != status)
        {
            throw new UnexpectedAnswerException($"claim {claimId} should be {what} ({status}), but the filing answered {filed[claimId]}");
        }
    }

    private void Answered(Guid claimId, ResponsibleParty answeredBy)
    {
        if (filed[claimId].Child("approval").Text("answeredBy") != answeredBy.ToString())
        {
            throw new UnexpectedAnswerException($"claim {claimId} should be approved for repair by the {answeredBy}, but the filing answered {filed[claimId]}");
        }
    }

    private async Task Rejected(Guid claimId, ClaimRejectionReason reason, CancellationToken ct)
    {
        var claim = await Claim(claimId, ct);
        if (claim.Text("status") != "Rejected" || claim.Child("rejection").Text("reason") != reason.ToString())
        {
            throw new UnexpectedAnswerException($"claim {claimId} should be rejected as {reason}: {claim}");
        }
    }

    private Task Settled(Guid claimId, CancellationToken ct) =>
        world.Until($"claim {claimId} to be resolved", async c => (await Claim(claimId, c)).Text("status") == "Resolved", ct);

    private async Task<JsonElement> Claim(Guid claimId, CancellationToken ct)
    {
        var answer = await world.Apis.Warranty.Get($"/claims/{claimId}", PlatformRoles.CustomerService, world.CustomerServiceAgent, ct);
        return answer.Status == HttpStatusCode.OK ? answer.Body : throw new UnexpectedAnswerException($"reading claim {claimId}: {answer}");
    }
}
