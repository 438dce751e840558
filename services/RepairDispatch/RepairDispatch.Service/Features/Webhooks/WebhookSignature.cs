using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RepairDispatch.Service.Features.Webhooks;

/// <summary>
/// How a delivery is signed (docs/integrating/webhooks.md): HMAC-SHA256, keyed with the provider's secret as
/// UTF-8 text, over "{timestamp}.{body}", where the timestamp is Unix seconds and also travels in its own
/// header; the signature header is "v1=" and the lower-case hex of the MAC. Signing the timestamp with the body
/// is what lets a receiver refuse an old delivery replayed with its genuine signature.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Platform-Webhook-Id";
    public const string TimestampHeader = "Platform-Webhook-Timestamp";
    public const string SignatureHeader = "Platform-Webhook-Signature";
    public const string Scheme = "v1=";

    /// <summary>A new secret: 32 random bytes, which is HMAC-SHA256's block of strength, in a form safe in any header or shell.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed, written + 1);
        return Scheme + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
