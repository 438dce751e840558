using System.Security.Cryptography;
using System.Text;

namespace Arbitration.Service.Cases;

/// <summary>
/// A case's id derives from what opened it, so a re-sent escalation or a retried appeal finds the
/// case it opened instead of opening a second one. A claim is disputed in one case at most, whether
/// the merchant refused it or the platform rejected it.
/// </summary>
public static class CaseIds
{
    public static Guid ForClaim(Guid claimId) => From("claim", claimId);

    public static Guid ForRepairJob(Guid jobId) => From("repair-job", jobId);

    public static Guid ForReopenRequest(Guid requestId) => From("reopen-request", requestId);

    // A name-based UUID (RFC 9562 version 8 over SHA-256): the same in every process and release.
    private static Guid From(string kind, Guid id)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"arbitration-case:{kind}:{id:D}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
