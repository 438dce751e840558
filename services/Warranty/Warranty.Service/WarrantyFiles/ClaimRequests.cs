using Platform.Domain;
using Platform.ServiceDefaults.Http;
using Warranty.Domain;
using Warranty.Service.Views;

namespace Warranty.Service;

/// <summary>How every endpoint that acts on an existing claim finds it, checks the caller, decides and answers.</summary>
public static class ClaimRequests
{
    /// <param name="isParty">Whether the caller is the party of this file who may do this; otherwise the claim is "not found".</param>
    /// <param name="command">The command for the claim, at the given instant.</param>
    /// <param name="precondition">An answer to give instead of deciding, or null to decide.</param>
    public static Task<IResult> Run(
        string handler,
        Guid claimId,
        RequestPipeline pipeline,
        WarrantyFileStream files,
        WarrantyPolicy policy,
        TimeProvider clock,
        Func<WarrantyFile.Activated, bool> isParty,
        Func<DateTimeOffset, WarrantyFileCommand> command,
        CancellationToken ct,
        Func<ClaimRecord, IResult?>? precondition = null) =>
        pipeline.Run(handler, async (work, ct) =>
        {
            var location = await ClaimIndex.Find(work.Session, claimId, ct);
            if (location is null)
            {
                return Problems.NotFound($"No claim {claimId} that you may act on.");
            }
            IResult? answer = null;
            var handled = await work.Handle(files.Aggregate, WarrantyFileStream.StreamId(location.OrderId, location.LineId), file =>
            {
                if (file.Activated is not { } state || state.ClaimById(claimId) is not { } claim || !isParty(state))
                {
                    answer = Problems.NotFound($"No claim {claimId} that you may act on.");
                    return Decide<WarrantyFileEvent>.Nothing;
                }
                answer = precondition?.Invoke(claim);
                return answer is null ? WarrantyFileDecider.Decide(command(clock.GetUtcNow()), state, policy) : Decide<WarrantyFileEvent>.Nothing;
            }, ct);
            return answer
                ?? (handled.Refusal is { } refusal
                    ? Problems.Refused(refusal)
                    : Results.Ok(ClaimView.From(handled.After.State, handled.After.Events, claimId)));
        }, ct, claimId);
}
