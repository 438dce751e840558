using System.Collections.Immutable;

namespace Order.Domain;

public sealed record OrderPlacement(
    string OrderId,
    string BuyerId,
    string MerchantId,
    string RegionCode,
    DateTimeOffset PlacedAt,
    IReadOnlyList<OrderLine> Lines);

public sealed record OrderCompletion(DateTimeOffset CompletedAt, ConfirmedBy ConfirmedBy);

public sealed record LineRefund(string RefundId, string LineId, decimal Amount, DateTimeOffset RefundedAt);

public enum OrderStatus
{
    NotPlaced,
    Placed,
    Paid,
    Shipped,
    Delivered,
    Completed,
}

public enum OrderMilestone
{
    Placed,
    Paid,
    Shipped,
    Delivered,
    ReceiptConfirmed,
    Completed,
    LineRefunded,
}

public sealed record OrderTimelineEntry(DateTimeOffset At, OrderMilestone Milestone, string? Detail);

public sealed record OrderState
{
    public static OrderState Initial { get; } = new();

    /// <summary>Null until OrderPlaced arrives.</summary>
    public OrderPlacement? Placement { get; init; }

    public DateTimeOffset? PaidAt { get; init; }
    public DateTimeOffset? ShippedAt { get; init; }
    public DateTimeOffset? AutoConfirmAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>The buyer's own confirmation; stays null when the system confirmed first.</summary>
    public DateTimeOffset? ReceiptConfirmedAt { get; init; }

    public OrderCompletion? Completion { get; init; }
    public ImmutableList<LineRefund> Refunds { get; init; } = [];

    /// <summary>Trade events waiting for OrderPlaced.</summary>
    public ImmutableList<TradeEvent> Parked { get; init; } = [];

    /// <summary>What happened when, by the trade system's times, whatever order the events arrived in.</summary>
    public ImmutableList<OrderTimelineEntry> Timeline { get; init; } = [];

    // Paid, shipped and delivered may arrive in any order, so the status is the furthest step reached.
    public OrderStatus Status => this switch
    {
        { Placement: null } => OrderStatus.NotPlaced,
        { Completion: not null } => OrderStatus.Completed,
        { DeliveredAt: not null } => OrderStatus.Delivered,
        { ShippedAt: not null } => OrderStatus.Shipped,
        { PaidAt: not null } => OrderStatus.Paid,
        _ => OrderStatus.Placed,
    };

    public decimal RefundedAmount(string lineId) =>
        Refunds.Where(refund => refund.LineId == lineId).Sum(refund => refund.Amount);

    public static OrderState Evolve(OrderState state, OrderEvent @event) => @event switch
    {
        OrderEvent.OrderPlaced placed => state.Record(placed.PlacedAt, OrderMilestone.Placed, $"{placed.Lines.Count} line(s)") with
        {
            Placement = new OrderPlacement(
                placed.OrderId, placed.BuyerId, placed.MerchantId, placed.RegionCode, placed.PlacedAt, placed.Lines),
            // The decision that places the order applies or rejects every parked event in the same append.
            Parked = [],
        },
        OrderEvent.OrderPaid paid => state.Record(paid.PaidAt, OrderMilestone.Paid) with { PaidAt = paid.PaidAt },
        OrderEvent.OrderShipped shipped =>
            state.Record(shipped.ShippedAt, OrderMilestone.Shipped, $"automatic confirmation due {shipped.AutoConfirmAt:O}") with
            {
                ShippedAt = shipped.ShippedAt,
                AutoConfirmAt = shipped.AutoConfirmAt,
            },
        OrderEvent.OrderDelivered delivered =>
            state.Record(delivered.DeliveredAt, OrderMilestone.Delivered) with { DeliveredAt = delivered.DeliveredAt },
        OrderEvent.OrderReceiptConfirmed confirmed =>
            state.Record(confirmed.ConfirmedAt, OrderMilestone.ReceiptConfirmed) with { ReceiptConfirmedAt = confirmed.ConfirmedAt },
        OrderEvent.OrderCompleted completed =>
            state.Record(completed.CompletedAt, OrderMilestone.Completed, $"confirmed by {completed.ConfirmedBy}") with
            {
                Completion = new OrderCompletion(completed.CompletedAt, completed.ConfirmedBy),
            },
        OrderEvent.OrderLineRefunded refunded =>
            state.Record(refunded.RefundedAt, OrderMilestone.LineRefunded,
                $"line {refunded.LineId}: {refunded.Amount} yuan (refund {refunded.RefundId})") with
            {
                Refunds = state.Refunds.Add(
                    new LineRefund(refunded.RefundId, refunded.LineId, refunded.Amount, refunded.RefundedAt)),
            },
        OrderEvent.TradeEventParked parked => state with { Parked = state.Parked.Add(parked.TradeEvent) },
        // ParkedTradeEventRejected is kept in the stream for an operator; it changes no state.
        _ => state,
    };

    private OrderState Record(DateTimeOffset at, OrderMilestone milestone, string? detail = null)
    {
        var entry = new OrderTimelineEntry(at, milestone, detail);
        var position = Timeline.FindLastIndex(existing => Precedes(existing, entry)) + 1;
        return this with { Timeline = Timeline.Insert(position, entry) };
    }

    // A total order, so that any arrival order of the same events yields the same timeline.
    private static bool Precedes(OrderTimelineEntry a, OrderTimelineEntry b) =>
        a.At != b.At ? a.At < b.At
        : a.Milestone != b.Milestone ? a.Milestone < b.Milestone
        : string.CompareOrdinal(a.Detail, b.Detail) <= 0;
}
