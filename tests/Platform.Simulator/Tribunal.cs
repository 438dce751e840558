using System.Collections.Concurrent;
using System.Net;
using Platform.Contracts.Arbitration.V1;
using Platform.ServiceDefaults;

namespace Platform.Simulator;

/// <summary>
/// Plays both sides of arbitration and its judge: the respondents who answer a case (or stay silent, and lose by
/// default), and an arbitrator who rules on every case of the run that awaits a ruling.
/// </summary>
public sealed class Tribunal(World world, Customers customers)
{
    /// <summary>What the arbitrator awards a buyer whose repair no provider came to do, in yuan.</summary>
    public const decimal Compensation = 300.00m;

    private static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(500);
    private static readonly string[] Documents = ["https://evidence.example/cases/statement.pdf"];
    private readonly ConcurrentDictionary<Guid, byte> ruled = new();
    private readonly ConcurrentDictionary<Guid, byte> heard = new();

    /// <summary>
    /// The merchant or the platform's repair operations hears of a case from CaseOpened, and answers it if it
    /// means to; once, however often the case's opening is told.
    /// </summary>
    public void Opened(CaseOpened opened)
    {
        if (!heard.TryAdd(opened.CaseId, 0))
        {
            return;
        }
        var what = $"the respondent of case {opened.CaseId}";
        if (opened.Respondent == RespondentKind.PlatformRepairOperations)
        {
            world.InBackground(what, () => Answer(opened.CaseId, PlatformRoles.Operator, world.Operator,
                "No provider reached the buyer in time. Repair operations offer to pay for a repair elsewhere."));
        }
        else if (opened is { ClaimId: { } claimId, RespondentId: { } merchant } && customers.MerchantAnswersCase(claimId))
        {
            world.InBackground(what, () => Answer(opened.CaseId, PlatformRoles.Merchant, merchant,
                "The item matches the listing; the buyer's photos show the label of another model."));
        }
    }

    private Task Answer(Guid caseId, string role, string subject, string statement) =>
        world.Apis.Arbitration.Expect($"/cases/{caseId}/evidence", role, subject, new { statement, links = Documents }, world.Stopping);

    /// <summary>Looks for cases awaiting a ruling until stopped, and rules on this run's.</summary>
    public async Task Arbitrate(CancellationToken ct)
    {
        var prefix = $"sim-{world.Plan.RunId}-";
        try
        {
            while (true)
            {
                var listed = await world.Apis.Arbitration.GetAll("/cases?status=AwaitingRuling&limit=500", PlatformRoles.Arbitrator, World.UnassignedArbitrator, ct);
                if (listed.Answer.Status != HttpStatusCode.OK)
                {
                    throw new UnexpectedAnswerException($"listing cases awaiting a ruling: {listed.Answer}");
                }
                foreach (var row in listed.Items.Where(r => r.Text("orderId")?.StartsWith(prefix, StringComparison.Ordinal) == true))
                {
                    if (row.Id("caseId") is { } caseId && ruled.TryAdd(caseId, 0))
                    {
                        await Rule(caseId, row.Text("origin"), row.Text("arbitratorId") ?? World.UnassignedArbitrator, ct);
                    }
                }
                await Task.Delay(LookEvery, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped once every flow has settled, or at the run's deadline, which the summary reports.
        }
    }

    /// <summary>
    /// The merchant who answered convinced the arbitrator; where no provider called back, the platform that
    /// guarantees the service compensates the buyer, who has the item repaired elsewhere, rather than trying its providers again.
    /// </summary>
    private async Task Rule(Guid caseId, string? origin, string arbitrator, CancellationToken ct)
    {
        object ruling = origin switch
        {
            nameof(CaseOrigin.ClaimEscalated) => new
            {
                inFavourOf = CaseParty.Respondent,
                rationale = "The merchant's evidence shows the item as listed; the buyer's measurements are of another model.",
            },
            nameof(CaseOrigin.RepairJobEscalated) => new
            {
                inFavourOf = CaseParty.Buyer,
                remedy = RulingRemedy.Compensation,
                amount = Compensation,
                rationale = "No provider called the buyer back in time; the platform guarantees the service and pays for a repair elsewhere.",
            },
            _ => new { inFavourOf = CaseParty.Buyer, remedy = RulingRemedy.Refund, rationale = "The buyer's claim is well founded." },
        };
        var answer = await world.Apis.Arbitration.Post($"/cases/{caseId}/ruling", PlatformRoles.Arbitrator, arbitrator, ruling, ct);
        // A default ruling at the respondent's deadline may come first; that ruling is final.
        if (!answer.IsSuccess && answer.Code != "CaseAlreadyRuled")
        {
            world.Problem($"ruling on case {caseId} as {arbitrator}: {answer}");
        }
    }
}
