using Order.Domain;

namespace Order.Service.Views;

/// <summary>An order as GET /orders/{id} shows it.</summary>
/// <param name="AutoConfirmAt">When receipt is confirmed automatically unless the buyer confirms first; null before shipping.</param>
/// <param name="Timeline">What happened, ordered by the trade system's times, whatever order the events arrived in.</param>
public sealed record OrderView(
    string OrderId,
    OrderStatus Status,
    string BuyerId,
    string MerchantId,
    string ShippingRegion,
    DateTimeOffset PlacedAt,
    DateTimeOffset? AutoConfirmAt,
    OrderCompletionView? Completion,
    IReadOnlyList<OrderLineView> Lines,
    IReadOnlyList<OrderTimelineEntryView> Timeline)
{
    public static OrderView From(OrderPlacement placement, OrderState state) => new(
        placement.OrderId,
        state.Status,
        placement.BuyerId,
        placement.MerchantId,
        placement.RegionCode,
        placement.PlacedAt,
        state.Completion is null ? state.AutoConfirmAt : null,
        state.Completion is { } completion ? new OrderCompletionView(completion.CompletedAt, completion.ConfirmedBy) : null,
        [.. placement.Lines.Select(line => OrderLineView.From(line, state.RefundedAmount(line.LineId)))],
        [.. state.Timeline.Select(entry => new OrderTimelineEntryView(entry.At, entry.Milestone, entry.Detail))]);
}

public sealed record OrderCompletionView(DateTimeOffset CompletedAt, ConfirmedBy ConfirmedBy);

/// <param name="RefundedAmount">Refunded on the line so far, in yuan.</param>
/// <param name="Refunded">Refunded in full: the line gets no after-sales service.</param>
public sealed record OrderLineView(
    string LineId,
    string Sku,
    string Title,
    string Category,
    string Brand,
    decimal UnitPrice,
    int Quantity,
    int ManufacturerWarrantyMonths,
    int MerchantWarrantyMonths,
    ExtendedWarrantyView? ExtendedWarranty,
    decimal RefundedAmount,
    bool Refunded)
{
    public static OrderLineView From(OrderLine line, decimal refunded) => new(
        line.LineId,
        line.Sku,
        line.Title,
        line.Category,
        line.Brand,
        line.UnitPrice,
        line.Quantity,
        line.ManufacturerWarrantyMonths,
        line.MerchantWarrantyMonths,
        line.ExtendedWarranty is { } plan ? new ExtendedWarrantyView(plan.PlanYears, plan.PricePaid, plan.IncludesAccidentalDamage) : null,
        refunded,
        line.IsRefundedBy(refunded));
}

public sealed record ExtendedWarrantyView(int PlanYears, decimal PricePaid, bool IncludesAccidentalDamage);

public sealed record OrderTimelineEntryView(DateTimeOffset At, OrderMilestone Milestone, string? Detail);
