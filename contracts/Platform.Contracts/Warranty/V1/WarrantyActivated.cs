namespace Platform.Contracts.Warranty.V1;

/// <summary>
/// A warranty file was opened for an order line when its order completed: every coverage the line has,
/// and the window of its after-sales entry (售后入口).
/// </summary>
public sealed record WarrantyActivated
{
    /// <summary>The trade system's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order line the file covers.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's id of the order's buyer.</summary>
    public required string BuyerId { get; init; }

    /// <summary>The trade system's id of the order's merchant.</summary>
    public required string MerchantId { get; init; }

    /// <summary>Province code of the shipping address.</summary>
    public required string ShippingRegion { get; init; }

    /// <summary>The line's stock-keeping unit.</summary>
    public required string Sku { get; init; }

    /// <summary>The product title.</summary>
    public required string Title { get; init; }

    /// <summary>The product category code.</summary>
    public required string Category { get; init; }

    /// <summary>The product's brand.</summary>
    public required string Brand { get; init; }

    /// <summary>The instant of transaction success (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Day d0: the local date of transaction success, from which every period counts.</summary>
    public required DateOnly CompletedOn { get; init; }

    /// <summary>The IANA id of the business time zone the local dates are in, such as Asia/Shanghai.</summary>
    public required string TimeZone { get; init; }

    /// <summary>
    /// The coverages the line has, in the order adjudication tries them; a promise of zero length is
    /// left out.
    /// </summary>
    public required IReadOnlyList<Coverage> Coverages { get; init; }

    /// <summary>The days the after-sales entry (售后入口) is open for claims that need the merchant.</summary>
    public required CalendarPeriod AfterSalesEntry { get; init; }

    /// <summary>
    /// Whether after-sales protection (售后保) kept the entry open beyond the category's base window.
    /// </summary>
    public required bool AfterSalesProtectionApplied { get; init; }

    /// <summary>The extended warranty bought with the line; null when none was bought.</summary>
    public ExtendedWarrantyPlan? ExtendedWarranty { get; init; }
}
