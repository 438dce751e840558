namespace Warranty.Domain;

public sealed record RefundQuote(decimal Amount, CancellationGround Ground, int RemainingDays, int TotalDays);

/// <summary>docs/domain.md "Extended-warranty cancellation and its refund".</summary>
public static class ExtendedWarrantyRefund
{
    /// <summary>
    /// Nothing once a repair was paid under the plan; everything before it starts (no claim can be made under a
    /// plan that has not started, so "with no claim on it" holds there); otherwise price × remaining / total days.
    /// Remaining days are the covered days after the cancellation's local date: the day of cancellation counts as
    /// used, since the buyer was covered during it. Rounded to the fen (0.01) half away from zero, the 四舍五入 of
    /// Chinese retail receipts, so a buyer never sees banker's rounding shave a fen off an even-looking amount.
    /// </summary>
    public static RefundQuote Quote(ExtendedWarrantyPlan plan, DateOnly today)
    {
        var period = plan.Period;
        var totalDays = period.LastDay.DayNumber - period.FirstDay.DayNumber + 1;
        var remainingDays = Math.Clamp(period.LastDay.DayNumber - today.DayNumber, 0, totalDays);
        if (plan.RepairPaidUnderPlan)
            return new(0m, CancellationGround.AfterPaidRepair, remainingDays, totalDays);
        if (today < period.FirstDay)
            return new(plan.Purchase.Price, CancellationGround.BeforeStart, totalDays, totalDays);

        var amount = Math.Round(plan.Purchase.Price * remainingDays / totalDays, 2, MidpointRounding.AwayFromZero);
        return new(amount, CancellationGround.ProRata, remainingDays, totalDays);
    }
}
