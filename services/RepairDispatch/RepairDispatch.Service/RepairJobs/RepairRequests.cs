using RepairDispatch.Domain;

namespace RepairDispatch.Service.RepairJobs;

public static class RepairRequests
{
    /// <summary>The first field a job cannot do without that the claim or ruling left blank; null when none is.</summary>
    public static string? Missing(RepairRequest request, Guid sourceId) =>
        sourceId == Guid.Empty ? "id"
        : string.IsNullOrWhiteSpace(request.OrderId) ? "order id"
        : string.IsNullOrWhiteSpace(request.LineId) ? "line id"
        : string.IsNullOrWhiteSpace(request.BuyerId) ? "buyer id"
        : string.IsNullOrWhiteSpace(request.Region) ? "shipping region"
        : string.IsNullOrWhiteSpace(request.Category) ? "category"
        : null;
}
