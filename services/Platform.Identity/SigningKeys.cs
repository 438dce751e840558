using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Identity;

/// <summary>
/// The issuer's RSA signing keys, one PEM file each in a directory (a Kubernetes secret in production).
/// The newest file by name signs; every file is published in the JWKS, so a key added beside the old
/// one and the issuer restarted rotates keys without any service changing: tokens signed by the old key
/// keep verifying until it is removed, which is safe once the longest token lifetime has passed.
/// An empty directory gets one new key, so a developer's first run needs nothing.
/// </summary>
public static class SigningKeys
{
    public static IReadOnlyList<RsaSecurityKey> Load(string directory, TimeProvider clock)
    {
        Directory.CreateDirectory(directory);
        var files = Directory.GetFiles(directory, "*.pem");
        if (files.Length == 0)
        {
            using var rsa = RSA.Create(2048);
            var path = Path.Combine(directory, $"{clock.GetUtcNow():yyyyMMddHHmmss}.pem");
            File.WriteAllText(path, rsa.ExportRSAPrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            files = [path];
        }
        return [.. files.OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal).Select(file =>
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(file));
            return new RsaSecurityKey(rsa) { KeyId = Path.GetFileNameWithoutExtension(file) };
        })];
    }
}
