using System.Collections.Immutable;
using Platform.Domain;
using static Order.Domain.OrderRefusalCode;

namespace Order.Domain;

public static class OrderDecider
{
    public static Decision<OrderEvent> Decide(OrderCommand command, OrderState state, OrderPolicy policy) =>
        Invalid(command) ?? (command, state) switch
        {
            (TradeEvent.OrderPlaced placed, { Placement: null }) => Place(placed, state, policy),
            (TradeEvent.OrderPlaced placed, { Placement: { } placement }) => SamePlacement(placed, placement)
                ? NoChange
                : Refuse(ConflictingOrderPlaced,
                    $"order {placed.OrderId} was already placed at {placement.PlacedAt:O} with different content; the first OrderPlaced stands"),
            (TradeEvent trade, { Placement: null }) => Park(trade, state),
            (TradeEvent.OrderPaid paid, _) => Once("OrderPaid", state.PaidAt, paid.PaidAt,
                new OrderEvent.OrderPaid(paid.OrderId, paid.PaidAt)),
            (TradeEvent.OrderShipped shipped, _) => Once("OrderShipped", state.ShippedAt, shipped.ShippedAt,
                new OrderEvent.OrderShipped(shipped.OrderId, shipped.ShippedAt, shipped.ShippedAt + policy.AutoConfirmAfter)),
            (TradeEvent.OrderDelivered delivered, _) => Once("OrderDelivered", state.DeliveredAt, delivered.DeliveredAt,
                new OrderEvent.OrderDelivered(delivered.OrderId, delivered.DeliveredAt)),
            (TradeEvent.OrderReceiptConfirmed confirmed, { Placement: { } placement }) =>
                ConfirmByBuyer(confirmed, placement, state),
            (TradeEvent.OrderLineRefunded refund, { Placement: { } placement }) => Refund(refund, placement, state),
            (OrderCommand.ConfirmReceiptAutomatically confirm, _) => ConfirmAutomatically(confirm, state),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown order command"),
        };

    private static Decision<OrderEvent> Place(TradeEvent.OrderPlaced placed, OrderState state, OrderPolicy policy)
    {
        var events = new List<OrderEvent>
        {
            new OrderEvent.OrderPlaced(
                placed.OrderId, placed.BuyerId, placed.MerchantId, placed.RegionCode, placed.PlacedAt, placed.Lines),
        };
        var current = OrderState.Evolve(state, events[0]);
        foreach (var parked in InApplicationOrder(state.Parked))
        {
            var decision = Decide(parked, current, policy);
            // Refusing the placement for one bad parked event would lose the order; keep both apart instead.
            // The code parses back: every refusal of this decider is named from OrderRefusalCode.
            IReadOnlyList<OrderEvent> effects = decision.RefusalOrNull is { } refusal
                ? [new OrderEvent.ParkedTradeEventRejected(placed.OrderId, parked, Enum.Parse<OrderRefusalCode>(refusal.Code), refusal.Reason)]
                : decision.Events;
            events.AddRange(effects);
            current = effects.Aggregate(current, OrderState.Evolve);
        }
        return Accept([.. events]);
    }

    // The order the trade system produced them in, by its own times, whatever order they arrived in:
    // a line refunded before the buyer confirmed shows as refunded in the completion snapshot, as it
    // does when the events arrive in order. Equal times keep the trade system's sequence.
    private static IEnumerable<TradeEvent> InApplicationOrder(ImmutableList<TradeEvent> parked) =>
        parked.OrderBy(HappenedAt)
            .ThenBy(Sequence)
            .ThenBy(trade => (trade as TradeEvent.OrderLineRefunded)?.RefundId, StringComparer.Ordinal);

    private static DateTimeOffset HappenedAt(TradeEvent trade) => trade switch
    {
        TradeEvent.OrderPaid paid => paid.PaidAt,
        TradeEvent.OrderShipped shipped => shipped.ShippedAt,
        TradeEvent.OrderDelivered delivered => delivered.DeliveredAt,
        TradeEvent.OrderReceiptConfirmed confirmed => confirmed.ConfirmedAt,
        TradeEvent.OrderLineRefunded refund => refund.RefundedAt,
        _ => throw new ArgumentOutOfRangeException(nameof(trade), trade, "Unknown trade event"),
    };

    private static int Sequence(TradeEvent trade) => trade switch
    {
        TradeEvent.OrderPaid => 1,
        TradeEvent.OrderShipped => 2,
        TradeEvent.OrderDelivered => 3,
        TradeEvent.OrderReceiptConfirmed => 4,
        TradeEvent.OrderLineRefunded => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(trade), trade, "Unknown trade event"),
    };

    private static Decision<OrderEvent> Park(TradeEvent trade, OrderState state) =>
        state.Parked.Find(parked => SameFact(parked, trade)) switch
        {
            null => Accept(new OrderEvent.TradeEventParked(trade.OrderId, trade)),
            var parked when parked == trade => NoChange,
            var parked => Refuse(ConflictingTradeEvent,
                $"{trade} contradicts {parked}, which is waiting for its OrderPlaced; the first stands"),
        };

    // A line can be refunded in parts, so refunds are told apart by their id; every other trade
    // event happens once per order.
    private static bool SameFact(TradeEvent a, TradeEvent b) =>
        a is TradeEvent.OrderLineRefunded refundA && b is TradeEvent.OrderLineRefunded refundB
            ? refundA.RefundId == refundB.RefundId
            : a.GetType() == b.GetType();

    private static Decision<OrderEvent> Once(string what, DateTimeOffset? recorded, DateTimeOffset arriving, params OrderEvent[] events) =>
        recorded switch
        {
            null => Accept(events),
            { } at when at == arriving => NoChange,
            { } at => Refuse(ConflictingTradeEvent, $"{what} was already recorded at {at:O}; this one says {arriving:O}; the first stands"),
        };

    private static Decision<OrderEvent> ConfirmByBuyer(
        TradeEvent.OrderReceiptConfirmed confirmed, OrderPlacement placement, OrderState state) =>
        state is { Completion: not null, ReceiptConfirmedAt: null }
            ? NoChange // The system confirmed first; the transaction already succeeded.
            : Once("OrderReceiptConfirmed", state.ReceiptConfirmedAt, confirmed.ConfirmedAt,
                new OrderEvent.OrderReceiptConfirmed(confirmed.OrderId, confirmed.ConfirmedAt),
                Completed(placement, state, confirmed.ConfirmedAt, ConfirmedBy.Buyer));

    // An early delivery of the scheduled message (clock skew, a relay that runs ahead) is refused
    // with RetryAt rather than accepted with no events: a consumed no-op would leave the order never
    // completing automatically, while a refusal tells the service to schedule it again.
    private static Decision<OrderEvent> ConfirmAutomatically(OrderCommand.ConfirmReceiptAutomatically confirm, OrderState state) =>
        state switch
        {
            // Completed at the due time, not at delivery: a late scheduler must not move d0.
            { Completion: null, Placement: { } placement, AutoConfirmAt: { } due } when confirm.Now >= due =>
                Accept(Completed(placement, state, due, ConfirmedBy.System)),
            { Completion: null, AutoConfirmAt: { } due } => Refuse(AutoConfirmationNotDue,
                $"order {confirm.OrderId}: automatic confirmation is due at {due:O}, not at {confirm.Now:O}", due),
            _ => NoChange, // Not placed, not shipped, or already completed.
        };

    private static OrderEvent Completed(OrderPlacement placement, OrderState state, DateTimeOffset at, ConfirmedBy by) =>
        new OrderEvent.OrderCompleted(
            placement.OrderId,
            placement.BuyerId,
            placement.MerchantId,
            placement.RegionCode,
            [.. placement.Lines.Select(line => new CompletedLine(line, state.RefundedAmount(line.LineId)))],
            at,
            by);

    private static Decision<OrderEvent> Refund(TradeEvent.OrderLineRefunded refund, OrderPlacement placement, OrderState state)
    {
        var arriving = new LineRefund(refund.RefundId, refund.LineId, refund.Amount, refund.RefundedAt);
        if (state.Refunds.Find(earlier => earlier.RefundId == refund.RefundId) is { } earlier)
        {
            return earlier == arriving
                ? NoChange
                : Refuse(ConflictingTradeEvent,
                    $"refund {earlier.RefundId} was already recorded as {earlier.Amount} yuan on line {earlier.LineId} at {earlier.RefundedAt:O}; the first stands");
        }
        if (placement.Lines.FirstOrDefault(line => line.LineId == refund.LineId) is not { } refundedLine)
        {
            return Refuse(UnknownLine,
                $"refund {refund.RefundId} names line {refund.LineId}, which order {placement.OrderId} does not have");
        }
        var refundedInAll = state.RefundedAmount(refundedLine.LineId) + refund.Amount;
        if (refundedInAll > refundedLine.AmountPaid)
        {
            return Refuse(RefundExceedsAmountPaid,
                $"refund {refund.RefundId} of {refund.Amount} yuan would bring line {refund.LineId} to {refundedInAll} yuan refunded, more than the {refundedLine.AmountPaid} yuan paid for it");
        }
        return Accept(new OrderEvent.OrderLineRefunded(
            refund.OrderId, refund.RefundId, refund.LineId, refund.Amount, refund.RefundedAt,
            refundedLine.IsRefundedBy(refundedInAll)));
    }

    // The lines are compared by content; record equality would compare the list references.
    private static bool SamePlacement(TradeEvent.OrderPlaced placed, OrderPlacement placement) =>
        new OrderPlacement(placed.OrderId, placed.BuyerId, placed.MerchantId, placed.RegionCode, placed.PlacedAt, placement.Lines)
            == placement
        && placed.Lines.SequenceEqual(placement.Lines);

    private static Decision<OrderEvent>? Invalid(OrderCommand command) => command switch
    {
        _ when IsMissing(command.OrderId) => Refuse(MissingField, "the order id is missing"),
        TradeEvent.OrderPlaced placed => InvalidPlacement(placed),
        TradeEvent.OrderLineRefunded refund => refund switch
        {
            _ when IsMissing(refund.RefundId) => Refuse(MissingField, $"order {refund.OrderId}: a refund has no refund id"),
            _ when IsMissing(refund.LineId) => Refuse(MissingField, $"order {refund.OrderId}: refund {refund.RefundId} names no line"),
            { Amount: <= 0 } => Refuse(InvalidAmount,
                $"order {refund.OrderId}: refund {refund.RefundId} of {refund.Amount} yuan; a refund must be above zero"),
            _ => null,
        },
        _ => null,
    };

    private static Decision<OrderEvent>? InvalidPlacement(TradeEvent.OrderPlaced placed)
    {
        var order = $"order {placed.OrderId}";
        if (IsMissing(placed.BuyerId)) return Refuse(MissingField, $"{order}: the buyer is missing");
        if (IsMissing(placed.MerchantId)) return Refuse(MissingField, $"{order}: the merchant is missing");
        if (IsMissing(placed.RegionCode)) return Refuse(MissingField, $"{order}: the shipping region is missing");
        if (placed.Lines is null || placed.Lines.Count == 0) return Refuse(MissingField, $"{order} has no lines");
        if (placed.Lines.Select(line => InvalidLine(order, line)).FirstOrDefault(refusal => refusal is not null) is { } invalid)
        {
            return invalid;
        }
        return placed.Lines.GroupBy(line => line.LineId).FirstOrDefault(lines => lines.Count() > 1) is { } repeated
            ? Refuse(DuplicateLineId, $"{order} has line {repeated.Key} {repeated.Count()} times")
            : null;
    }

    private static Decision<OrderEvent>? InvalidLine(string order, OrderLine? line) => line switch
    {
        null => Refuse(MissingField, $"{order} has an empty line"),
        _ when IsMissing(line.LineId) => Refuse(MissingField, $"{order}: a line has no line id"),
        _ when IsMissing(line.Sku) => Refuse(MissingField, $"{order}, line {line.LineId}: the SKU is missing"),
        _ when IsMissing(line.Title) => Refuse(MissingField, $"{order}, line {line.LineId}: the title is missing"),
        _ when IsMissing(line.Category) => Refuse(MissingField, $"{order}, line {line.LineId}: the category is missing"),
        { ManufacturerWarrantyMonths: > 0 } when IsMissing(line.Brand) => Refuse(MissingField,
            $"{order}, line {line.LineId}: a national joint warranty needs the brand that answers for it"),
        { UnitPrice: < 0 } => Refuse(InvalidAmount,
            $"{order}, line {line.LineId}: unit price {line.UnitPrice} yuan is below zero"),
        { Quantity: < 1 } => Refuse(InvalidQuantity, $"{order}, line {line.LineId}: quantity {line.Quantity} is below 1"),
        { ManufacturerWarrantyMonths: < 0 } or { MerchantWarrantyMonths: < 0 } => Refuse(InvalidWarrantyMonths,
            $"{order}, line {line.LineId}: warranty months below zero (national {line.ManufacturerWarrantyMonths}, merchant {line.MerchantWarrantyMonths})"),
        { ExtendedWarranty: { } plan } when !ExtendedWarrantyPurchase.PlansOffered.Contains(plan.PlanYears) =>
            Refuse(InvalidExtendedWarrantyPlan,
                $"{order}, line {line.LineId}: an extended warranty plan of {plan.PlanYears} years is not offered (plans offered: {string.Join(", ", ExtendedWarrantyPurchase.PlansOffered)} years)"),
        { ExtendedWarranty.PricePaid: < 0 and var price } => Refuse(InvalidAmount,
            $"{order}, line {line.LineId}: extended warranty price {price} yuan is below zero"),
        _ => null,
    };

    private static Decision<OrderEvent> NoChange => Decide<OrderEvent>.Nothing;

    private static Decision<OrderEvent> Accept(params IReadOnlyList<OrderEvent> events) => Decide<OrderEvent>.Accept(events);

    private static Decision<OrderEvent> Refuse(OrderRefusalCode code, string reason, DateTimeOffset? retryAt = null) =>
        Decide<OrderEvent>.Refuse(code, reason, retryAt);

    private static bool IsMissing(string? value) => string.IsNullOrWhiteSpace(value);
}
