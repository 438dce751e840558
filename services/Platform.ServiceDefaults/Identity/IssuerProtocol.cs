namespace Platform.ServiceDefaults.Identity;

/// <summary>What the platform's issuer and the tools that talk to it agree on, beyond OAuth 2.0 itself.</summary>
public static class IssuerProtocol
{
    /// <summary>The audience of the issuer's own client administration.</summary>
    public const string AdministrationAudience = "identity";

    /// <summary>The client every tool registers other clients with; its secret is PLATFORM_IDENTITY_ADMIN_SECRET.</summary>
    public const string AdministratorClientId = "platform-admin";

    /// <summary>The platform's four services, each its own audience: a token is for one of them.</summary>
    public static readonly IReadOnlyList<string> ServiceAudiences = ["order", "warranty", "repairdispatch", "arbitration"];

    public const string TokenPath = "/connect/token";
    public const string ClientsPath = "/clients";

    /// <summary>Registrations revoked recently; each service refuses the tokens they were issued.</summary>
    public const string RevocationsPath = "/revocations";

    /// <summary>
    /// The id of one registration of a client, in each token it is issued: removing the client revokes
    /// this registration's tokens, while the same client id registered again gets a new one.
    /// </summary>
    public const string RegistrationClaim = "client_registration";

    /// <summary>The client id a developer's tool gives a party: one client per role and party.</summary>
    public static string ClientIdOf(string role, string party) => $"{role}:{party}";
}

/// <summary>A machine party's client: who it acts as, which services it may call, and for how long a token lasts.</summary>
/// <param name="AccessTokenLifetime">Shorter than the issuer's lifetime for this client only (tests); never longer.</param>
public sealed record ClientRegistration(string Secret, string Role, string Party, IReadOnlyList<string> Audiences, TimeSpan? AccessTokenLifetime = null);

/// <summary>One revoked registration, as GET /revocations lists it.</summary>
public sealed record RevokedRegistration(string Registration, string ClientId, DateTimeOffset RevokedAt);
