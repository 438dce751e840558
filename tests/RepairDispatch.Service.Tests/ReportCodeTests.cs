using RepairDispatch.Domain;
using RepairDispatch.Service.Features.ProviderReports;
using C = Platform.Contracts.Repair.V1;

namespace RepairDispatch.Service.Tests;

/// <summary>The published lists and the domain's name the same codes, so every code a provider sends means one thing here.</summary>
public sealed class ReportCodeTests
{
    [Fact]
    public void Every_published_code_is_the_domains_code_of_the_same_name_and_absent_is_Other()
    {
        Assert.Equal(Enum.GetNames<C.DeclineReasonCode>(), Enum.GetNames<DeclineReasonCode>());
        Assert.Equal(Enum.GetNames<C.ProgressCode>(), Enum.GetNames<ProgressCode>());
        Assert.All(Enum.GetValues<C.DeclineReasonCode>(), code => Assert.Equal(code.ToString(), ReportCodes.Domain(code).ToString()));
        Assert.All(Enum.GetValues<C.ProgressCode>(), code => Assert.Equal(code.ToString(), ReportCodes.Domain(code).ToString()));
        Assert.Equal((DeclineReasonCode.Other, ProgressCode.Other), (ReportCodes.Domain((C.DeclineReasonCode?)null), ReportCodes.Domain((C.ProgressCode?)null)));
        Assert.Null(ReportCodes.Domain((C.DeclineReasonCode)99));
    }
}
