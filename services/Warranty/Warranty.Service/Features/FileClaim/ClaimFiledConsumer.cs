using MassTransit;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using Platform.Contracts.Warranty.V1;
using Warranty.Domain;
using static Warranty.Service.ContractVocabulary;

namespace Warranty.Service.Features.FileClaim;

/// <summary>
/// A claim filed in a customer-service system, adjudicated as of its filing time like one filed over HTTP; the
/// merchant's time to answer runs from its arrival here, and one that arrives too long after its filing is refused.
/// </summary>
public sealed class ClaimFiledConsumer(MessagePipeline pipeline, WarrantyFileStream files, WarrantyPolicy policy, TimeProvider clock)
    : IConsumer<ClaimFiled>
{
    public const string Name = "warranty-claim-filed";

    public Task Consume(ConsumeContext<ClaimFiled> context) =>
        pipeline.Consume(context, Name, async (work, claim, ct) =>
        {
            var receivedAt = clock.GetUtcNow();
            if (Problem(claim, receivedAt) is { } problem)
            {
                return new Refusal(InvalidMessage, problem);
            }
            // As over HTTP: an id in use on another line fails the commit on the claim index's key, and the retry looks it up.
            if (context.GetRetryAttempt() > 0 && await ClaimIndex.Find(work.Session, claim.ClaimId, ct) is { } existing
                && existing != new ClaimLocation(claim.OrderId, claim.LineId))
            {
                return new Refusal(ClaimIdInUse, $"Claim id {claim.ClaimId} already names a claim on order {existing.OrderId} line {existing.LineId}.");
            }
            var command = new WarrantyFileCommand.FileClaim(
                claim.ClaimId,
                new Requester(claim.BuyerId, ToDomain(claim.ClaimantRole), claim.ClaimantId),
                ToDomain(claim.Fault),
                claim.FaultDescription,
                ToDomain(claim.RemedyAsked),
                [.. claim.EvidenceLinks.Select(link => link.OriginalString)],
                claim.FiledAt,
                receivedAt,
                Validation.ContactOf(claim.BuyerPhone, claim.ServiceAddress).Contact);
            var handled = await work.Handle(files.Filing, WarrantyFileStream.StreamId(claim.OrderId, claim.LineId),
                file => WarrantyFileDecider.Decide(command, file.State, policy), ct);
            return handled.Refusal;
        });

    private string? Problem(ClaimFiled claim, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (claim.ClaimId == Guid.Empty)
            problems.Add("claimId is empty");
        foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)
                 [("orderId", claim.OrderId), ("lineId", claim.LineId), ("claimantId", claim.ClaimantId), ("buyerId", claim.BuyerId), ("faultDescription", claim.FaultDescription)])
        {
            if (string.IsNullOrWhiteSpace(value))
                problems.Add($"{field} is missing");
        }
        if (!Enum.IsDefined(claim.ClaimantRole))
            problems.Add($"claimantRole {claim.ClaimantRole} is not a role");
        if (!Enum.IsDefined(claim.Fault))
            problems.Add($"fault {claim.Fault} is not a fault kind");
        if (!Enum.IsDefined(claim.RemedyAsked))
            problems.Add($"remedyAsked {claim.RemedyAsked} is not a remedy");
        if (claim.EvidenceLinks is null || claim.EvidenceLinks.Any(link => !Validation.IsLink(link?.OriginalString)))
            problems.Add("evidenceLinks must be a list of absolute http or https addresses");
        if (claim.ClaimantRole == RequesterRole.Buyer && claim.ClaimantId != claim.BuyerId)
            problems.Add($"a buyer files for themselves, but claimantId {claim.ClaimantId} is not buyerId {claim.BuyerId}");
        problems.AddRange(Validation.ContactOf(claim.BuyerPhone, claim.ServiceAddress).Problems.Select(p => p.Message));
        if (claim.FiledAt > now + TimeSpan.FromMinutes(policy.FiledAtClockSkewMinutes))
            problems.Add($"filedAt {claim.FiledAt:O} is in the future, more than {policy.FiledAtClockSkewMinutes} minutes ahead of {now:O} (Warranty__FiledAtClockSkewMinutes)");
        return problems.Count == 0 ? null : "ClaimFiled refused: " + string.Join("; ", problems) + ".";
    }
}
