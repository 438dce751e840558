using Platform.EventSourcing;
using Warranty.Domain;
using Warranty.Service.ReadModels;
using Warranty.Service.Views;

namespace Warranty.Service;

/// <summary>The way every endpoint that acts on an existing claim finds it, checks the caller, decides and answers.</summary>
public static class ClaimCommands
{
    /// <param name="isParty">Whether the caller is the party of this file who may do this; otherwise the claim is "not found".</param>
    /// <param name="command">The command for the claim, at the given instant.</param>
    /// <param name="precondition">An answer to give instead of deciding, or null to decide.</param>
    public static Task<IResult> Run(
        Guid claimId,
        EventStore store,
        WarrantyPolicy policy,
        WarrantyMetrics metrics,
        TimeProvider clock,
        Func<WarrantyFile.Activated, bool> isParty,
        Func<DateTimeOffset, WarrantyFileCommand> command,
        CancellationToken ct,
        Func<ClaimRecord, IResult?>? precondition = null) =>
        Api.Retrying(async () =>
        {
            await using var session = await store.OpenSession(claimId, ct);
            var location = await ClaimIndex.Find(session, claimId, ct);
            var file = location is null ? null : await WarrantyFiles.Load(session, location.OrderId, location.LineId, ct);
            if (file?.Activated is not { } state || state.ClaimById(claimId) is not { } claim || !isParty(state))
            {
                return Api.NotFound($"No claim {claimId} that you may act on.");
            }
            if (precondition?.Invoke(claim) is { } refusal)
            {
                return refusal;
            }

            IReadOnlyList<WarrantyFileEvent> events;
            try
            {
                events = WarrantyFileDecider.Decide(command(clock.GetUtcNow()), state, policy);
            }
            catch (WarrantyRuleViolation violation)
            {
                return Api.Refused(violation);
            }
            var after = await session.Record(file, events, ct);
            await session.Commit(ct);
            metrics.Count(events);
            return Results.Ok(ClaimView.From(after, file.Events.Concat(events), claimId));
        });
}
