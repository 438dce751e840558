namespace Platform.Contracts.Orders.V1;

/// <summary>One line of an <see cref="OrderCompleted"/> snapshot.</summary>
public sealed record CompletedOrderLine
{
    /// <summary>The trade system's id of the line, unique within its order.</summary>
    public required string LineId { get; init; }

    /// <summary>The trade system's stock-keeping unit.</summary>
    public required string Sku { get; init; }

    /// <summary>The product title as the buyer saw it.</summary>
    public required string Title { get; init; }

    /// <summary>The product category code.</summary>
    public required string Category { get; init; }

    /// <summary>The product's brand.</summary>
    public required string Brand { get; init; }

    /// <summary>Price of one unit, in yuan.</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>Number of units on the line.</summary>
    public required int Quantity { get; init; }

    /// <summary>Months of the brand's national joint warranty (全国联保); 0 means none.</summary>
    public required int ManufacturerWarrantyMonths { get; init; }

    /// <summary>Months of the merchant's own quality commitment (商家承诺); 0 means none.</summary>
    public required int MerchantWarrantyMonths { get; init; }

    /// <summary>The extended warranty (延保) bought with the line; null when none was bought.</summary>
    public ExtendedWarrantyPurchase? ExtendedWarranty { get; init; }

    /// <summary>Whether the line was refunded before completion; a refunded line gets no warranty.</summary>
    public required bool Refunded { get; init; }
}
