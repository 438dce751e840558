using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;

namespace RepairDispatch.Service.Providers;

/// <summary>Who may manage and read providers (docs/domain.md "Who may do what"): operators; a provider reads its own scorecard.</summary>
public static class ProviderAccess
{
    public static IResult NoProvider(string providerId) => Problems.NotFound($"No provider {providerId} that you may see.");

    public static IResult? NotOperator(Caller caller) =>
        caller.Is(PlatformRoles.Operator) ? null : Problems.Forbidden("Only operators manage repair providers.");
}
