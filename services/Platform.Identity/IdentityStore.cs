using Microsoft.EntityFrameworkCore;

namespace Platform.Identity;

/// <summary>OpenIddict's applications, scopes and tokens, and the clients revoked recently.</summary>
public sealed class IdentityStore(DbContextOptions<IdentityStore> options) : DbContext(options)
{
    public DbSet<Revocation> Revocations => Set<Revocation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Revocation>(e =>
        {
            e.ToTable("revocations");
            e.HasKey(r => r.Registration);
            e.Property(r => r.Registration).HasColumnName("registration");
            e.Property(r => r.ClientId).HasColumnName("client_id");
            e.Property(r => r.RevokedAt).HasColumnName("revoked_at");
        });
    }
}

/// <summary>A client registration removed at this instant: the tokens it was issued are refused by every service.</summary>
public sealed class Revocation
{
    public required string Registration { get; set; }
    public required string ClientId { get; set; }
    public DateTimeOffset RevokedAt { get; set; }
}
