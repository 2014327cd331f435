using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace VagaVaraDigital.Api.Identity.Store;

/// <summary>
/// The one EF Core context of the platform: ASP.NET Core Identity's user store, OpenIddict's stores and the
/// Data Protection key ring, which ship only for EF. Everything else is Dapper + SQL. The tables are created by
/// <c>migrations/0100_identity_stores.sql</c>, generated from this model with <c>dotnet ef migrations script</c>
/// (see docs/decisions/0010); <c>IdentityStoreSchemaTests</c> fails when the model and the database disagree.
/// </summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options)
    : IdentityUserContext<PlatformUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<PlatformUser>(u =>
        {
            u.Property(x => x.Role).HasMaxLength(32).IsRequired();
            u.Property(x => x.TenantId).HasMaxLength(8);
            u.Property(x => x.MunicipalityCode).HasMaxLength(8);
            u.Property(x => x.DisplayName).HasMaxLength(200);
            u.HasIndex(x => x.TenantId);
        });
    }
}

/// <summary>For <c>dotnet ef</c> at development time only: the model, without starting the web host.</summary>
public sealed class IdentityDbDesignTimeFactory : IDesignTimeDbContextFactory<IdentityDb>
{
    public IdentityDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<IdentityDb>()
        .UseNpgsql("Host=127.0.0.1;Database=design_time_only")
        .UseOpenIddict()
        .Options);
}
