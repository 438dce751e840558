using Platform.Contracts.Repair.V1;
using Platform.Contracts.Warranty.V1;

namespace Arbitration.Service.Tests;

/// <summary>What the other services publish, with fresh ids per call so that tests never share a case.</summary>
internal static class Messages
{
    public static ClaimEscalated ClaimEscalated(string merchantId = "merchant-a", string? buyerId = null, Remedy remedy = Remedy.Return) => new()
    {
        ClaimId = Guid.NewGuid(),
        OrderId = $"TB-{Guid.NewGuid():N}",
        LineId = "L1",
        BuyerId = buyerId ?? $"buyer-{Guid.NewGuid():N}",
        MerchantId = merchantId,
        ShippingRegion = "330000",
        Sku = "SKU-KETTLE-1",
        Title = "Electric kettle 1.7 L",
        Category = "home-appliances",
        Brand = "Midea",
        Fault = FaultKind.QualityFault,
        FaultDescription = "It stopped heating on day 3.",
        RemedyGranted = remedy,
        MerchantReason = "Signs of misuse.",
        Statement = "I used it as the manual says; it just stopped heating.",
        EvidenceLinks = [new Uri("https://evidence.example/kettle.jpg")],
        EscalatedAt = DateTimeOffset.UtcNow,
    };

    public static RepairJobEscalated RepairJobEscalated() => new()
    {
        JobId = Guid.NewGuid(),
        OrderId = $"TB-{Guid.NewGuid():N}",
        LineId = "L2",
        ClaimId = Guid.NewGuid(),
        BuyerId = $"buyer-{Guid.NewGuid():N}",
        ShippingRegion = "440000",
        Sku = "SKU-PHONE-9",
        Title = "Phone 9 Pro",
        Category = "3c-digital",
        Brand = "Huawei",
        FaultDescription = "The screen flickers.",
        Reason = RepairEscalationReason.AttemptsExhausted,
        Attempts = 3,
        LastProviderId = "provider-7",
        EscalatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>One that may not be appealed is a NotBuyer rejection, which names nothing of the line (empty fields), as Warranty sends it.</summary>
    public static ClaimRejected ClaimRejected(bool appealMayHelp = true) => new()
    {
        ClaimId = Guid.NewGuid(),
        OrderId = $"TB-{Guid.NewGuid():N}",
        LineId = "L3",
        BuyerId = $"buyer-{Guid.NewGuid():N}",
        MerchantId = appealMayHelp ? "merchant-a" : "",
        ShippingRegion = appealMayHelp ? "310000" : "",
        Sku = appealMayHelp ? "SKU-SEEDS-3" : "",
        Title = appealMayHelp ? "Tomato seeds, 200" : "",
        Category = appealMayHelp ? "plants-seeds" : "",
        Brand = appealMayHelp ? "GreenHand" : "",
        Fault = FaultKind.LongDiscoveryDefect,
        FaultDescription = "None of the seeds sprouted.",
        RemedyAsked = Remedy.Return,
        Reason = appealMayHelp ? ClaimRejectionReason.OutOfWarranty : ClaimRejectionReason.NotBuyer,
        ReopenRequestMayHelp = false,
        AppealMayHelp = appealMayHelp,
        RejectedAt = DateTimeOffset.UtcNow,
    };

    public static ReopenDenied ReopenDenied() => new()
    {
        RequestId = Guid.NewGuid(),
        OrderId = $"TB-{Guid.NewGuid():N}",
        LineId = "L4",
        BuyerId = $"buyer-{Guid.NewGuid():N}",
        MerchantId = "merchant-a",
        ShippingRegion = "310000",
        Sku = "SKU-HEN-1",
        Title = "Laying hen",
        Category = "live-animals",
        Brand = "Farm",
        RequestedById = "cs-1",
        RequestedByRole = RequesterRole.CustomerService,
        Fault = FaultKind.LongDiscoveryDefect,
        FaultDescription = "The hen turned out to be a rooster.",
        Reason = ReopenDenialReason.LongDiscoveryWindowPassed,
        AppealMayHelp = true,
        DeniedAt = DateTimeOffset.UtcNow,
    };
}
