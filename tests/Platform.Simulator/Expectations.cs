namespace Platform.Simulator;

/// <summary>What the plan implies each figure must be, and where it can only give a floor.</summary>
public static class Expectations
{
    /// <param name="underFaults">
    /// The run broke the services and servers on purpose (<see cref="ChaosOptions"/>): a provider that calls at once
    /// may still be late while the platform is down, so each Shanghai job is owed a callback in time or a breach. And
    /// Guangdong's first provider, which calls late, may reach the buyer before the platform, down at its deadline,
    /// records the breach: the breach is recorded, the job stays with it and no second provider calls, so a Guangdong
    /// job is owed its breach and, only when it was redispatched, a callback in time.
    /// </param>
    public static IReadOnlyList<Check> For(Plan plan, SimulationSummary found, bool underFaults = false)
    {
        var orders = plan.Orders;
        var autoConfirmed = orders.Count(o => o.Delivery == Delivery.NeverConfirmed);
        var repairs = orders.Count(o => o.HasRepairJob);
        // Guangdong's first provider calls late: one breach. Sichuan's two never call: two breaches, then no one is
        // left and the job goes to the platform. Shanghai's providers call at once.
        var guangdong = plan.RepairsIn(Regions.Guangdong);
        var sichuan = plan.RepairsIn(Regions.Sichuan);
        var answered = plan.Count(Story.RefusedThenMerchantAnswersCase);
        var silent = plan.Count(Story.RefusedThenMerchantSilentInCase);
        var cases = answered + silent + sichuan;

        List<Check> checks =
        [
            new("orders completed", found.OrdersCompleted, orders.Count),
            new("  confirmed by the buyer", found.CompletedByBuyer, orders.Count - autoConfirmed),
            new("  confirmed by the system, 10 days after shipping", found.CompletedBySystem, autoConfirmed),
            new("warranties activated (one per order line)", found.Warranties, orders.Sum(o => o.Lines.Count)),
            new("after-sales entries reopened (long-discovery defect)", found.EntriesReopened, plan.Count(Story.SeedsNeverSprouted)),
            new("extended warranties cancelled", found.ExtendedWarrantiesCancelled, plan.Count(Story.ExtendedWarrantyCancelled)),
            new("claims filed", found.ClaimsFiled, plan.Claims.Count()),
        ];
        var outcomes = plan.Claims.GroupBy(o => o.ExpectedClaimOutcome!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var outcome in outcomes.Keys.Union(found.ClaimsByOutcome.Keys).Order(StringComparer.Ordinal))
        {
            checks.Add(new($"  {outcome}", found.Outcome(outcome), outcomes.GetValueOrDefault(outcome)));
        }
        checks.AddRange(
        [
            new("  accepted by the merchant's silence (48 h)", found.AcceptedBySilence, plan.Count(Story.ReturnAcceptedBySilence)),
            new("repair jobs", found.RepairJobs, repairs),
            new("  dispatches to providers", found.JobsDispatched, repairs + sichuan, AtLeast: true),
            underFaults
                // Guangdong: one breach; Sichuan: two breaches; Shanghai: a callback in time or a breach; and each job
                // redispatched outside Sichuan one more, from its next provider (a callback in time or a breach).
                ? new("  callbacks in time, and breaches (providers' scorecards)", found.OnTimeCallbacks + found.SlaBreaches,
                    plan.RepairsIn(Regions.Shanghai) + guangdong + 2 * sichuan + (found.Redispatches - sichuan), AtLeast: true)
                : new("  buyers called back in time (providers' scorecards)", found.OnTimeCallbacks, plan.RepairsIn(Regions.Shanghai), AtLeast: true),
            new("  callback SLA breaches, 24 h (providers' scorecards)", found.SlaBreaches, guangdong + 2 * sichuan, AtLeast: true),
            new("  redispatched to the next provider", found.Redispatches, sichuan, AtLeast: true),
            new("  escalated to the platform", found.Escalations, sichuan),
            new("  completed by a provider", found.JobsCompleted, repairs - sichuan),
            new("arbitration cases", found.Cases, cases),
            new("  ruled", found.Rulings, cases),
            new("  by default: the respondent silent for 72 h", found.DefaultRulings, silent),
            new("  by the arbitrator", found.ArbitratorRulings, answered + sichuan),
            new("refunds instructed (returns, refund rulings, plans)", found.RefundsInstructed, orders.Count(o => o.ExpectedRefund > 0)),
            new("  confirmed paid by the trade system", found.RefundsPaid, orders.Count(o => o.ExpectedRefund > 0)),
            new("  their amount, in fen", found.RefundFen, (int)(orders.Sum(o => o.ExpectedRefund) * 100)),
            new("compensations instructed (rulings)", found.CompensationsInstructed, orders.Count(o => o.HasCompensation)),
            new("  confirmed paid by the trade system", found.CompensationsPaid, orders.Count(o => o.HasCompensation)),
            new("  their amount, in fen", found.CompensationFen, (int)(orders.Count(o => o.HasCompensation) * Tribunal.Compensation * 100)),
        ]);
        if (found.Webhooks is { } hooks)
        {
            // Every provider has a webhook: each dispatch, each job taken away by a breach (none is declined) and each
            // Sichuan job escalated from the provider holding it reaches an endpoint, once, as the logs say.
            checks.AddRange(
            [
                new("webhook deliveries received and verified", hooks.Received, hooks.DeliveredInLogs),
                new("  job dispatched", hooks.Dispatched, found.JobsDispatched),
                new("  job redispatched away (a breach)", hooks.RedispatchedAway, found.Redispatches),
                new("  job cancelled (escalated from its provider)", hooks.Cancelled, sichuan),
                new("  received again after a 2xx", hooks.ReceivedTwice, 0),
                new("  refused by the signature check", hooks.Rejected, 0),
            ]);
        }
        return checks;
    }
}
