using RepairDispatch.Domain;
using C = Platform.Contracts.Repair.V1;

namespace RepairDispatch.Service.Features.ProviderReports;

/// <summary>
/// The published reason and progress codes (Repair.V1.DeclineReasonCode and ProgressCode) as the reports carry them,
/// and the attachment links of a progress report: the rules the HTTP and the message reports share.
/// </summary>
public static class ReportCodes
{
    /// <summary>
    /// A code by its name (any case; numbers are refused, since they would name members by position); absent is
    /// <c>Other</c>, which a sender from before the list meant. Null when the name is on no list.
    /// </summary>
    public static TCode? Parse<TCode>(string? name) where TCode : struct, Enum =>
        name is null ? Enum.Parse<TCode>("Other")
        : name.Length > 0 && name.All(char.IsAsciiLetter) && Enum.TryParse<TCode>(name, ignoreCase: true, out var code) ? code
        : null;

    public static string Unknown<TCode>(string field, string? name) where TCode : struct, Enum =>
        $"'{name}' is not a {field} on the published list: {string.Join(", ", Enum.GetNames<TCode>())} (docs/integrating/README.md, \"Reason codes\").";

    /// <summary>A contract code as the domain names it; null for a number the list does not have.</summary>
    public static DeclineReasonCode? Domain(C.DeclineReasonCode? code) =>
        code is null ? DeclineReasonCode.Other : Enum.IsDefined(code.Value) ? Enum.Parse<DeclineReasonCode>(code.Value.ToString()) : null;

    public static ProgressCode? Domain(C.ProgressCode? code) =>
        code is null ? ProgressCode.Other : Enum.IsDefined(code.Value) ? Enum.Parse<ProgressCode>(code.Value.ToString()) : null;

    /// <summary>What is wrong with a progress report's attachment links, or null: at most <paramref name="max"/>, each an absolute https address.</summary>
    public static string? AttachmentProblem(IReadOnlyList<string?>? links, int max)
    {
        if (links is null)
        {
            return null;
        }
        if (links.Count > max)
        {
            return $"At most {max} attachment links (RepairDispatch__MaxAttachmentLinks), not {links.Count}.";
        }
        for (var i = 0; i < links.Count; i++)
        {
            if (!IsHttps(links[i]))
            {
                return $"attachmentLinks[{i}] must be an absolute https address of at most {MaxLinkLength} characters.";
            }
        }
        return null;
    }

    private const int MaxLinkLength = 2000;

    private static bool IsHttps(string? link) =>
        link is { Length: <= MaxLinkLength } && Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
