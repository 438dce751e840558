using System.Security.Cryptography;
using System.Text;

namespace RepairDispatch.Service.RepairJobs;

/// <summary>
/// Ids derived from what caused them (RFC 9562 version 5), so a message delivered again, or sent
/// again with a new message id, finds what the first delivery created instead of creating it twice.
/// </summary>
public static class NameBasedIds
{
    private static readonly Guid ClaimJobs = Guid.Parse("2b0c4a51-5f0e-4d1e-9a55-6d1f2c9e7a01");
    private static readonly Guid RulingJobs = Guid.Parse("2b0c4a51-5f0e-4d1e-9a55-6d1f2c9e7a02");

    /// <summary>The repair job an approved claim opens.</summary>
    public static Guid JobForClaim(Guid claimId) => Create(ClaimJobs, claimId.ToString("D"));

    /// <summary>The repair job a ruling opens; apart from claim jobs, so a case and a claim with one id never share a job.</summary>
    public static Guid JobForRuling(Guid caseId) => Create(RulingJobs, caseId.ToString("D"));

    public static Guid Create(Guid @namespace, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
#pragma warning disable CA5350 // SHA-1 is what version 5 ids are defined with; it names, it does not protect.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
