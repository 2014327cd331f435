using Dapper;

namespace VagaVaraDigital.Tests.Infrastructure;

/// <summary>
/// Rows in every tenant-owned table for two tenants, A (Uppsala, 03) and B (Stockholm, 01). B's rows carry
/// <see cref="BMarker"/> in their text, so an isolation test can assert that no response under A shows it.
/// When a feature adds a tenant-owned table, it adds rows here: a test fails while any table lacks rows
/// for both tenants.
/// </summary>
public static class TwoTenants
{
    public const string A = "03", ASlug = "uppsala", AMunicipality = "0380";
    public const string B = "01", BSlug = "stockholm", BMunicipality = "0180";
    public const string BMarker = "hemligt-b";

    /// <summary>Ids of B's rows (any table), tried in place of every route parameter under tenant A.</summary>
    public static readonly List<string> BIds = [];

    public static async Task SeedAsync(TestDatabase db)
    {
        BIds.Clear();
        await using var conn = await db.OpenSuperuserAsync();
        foreach (var (tenant, marker) in new[] { (A, "synligt-a"), (B, BMarker) })
        {
            await conn.ExecuteAsync("UPDATE tenant_settings SET contact_email = @email WHERE tenant_id = @tenant",
                new { tenant, email = $"{marker}@lansstyrelsen.se" });
            var auditId = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO audit_log (tenant_id, actor_id, actor_name, action, target, details)
                VALUES (@tenant, @marker, @marker, 'test.seeded', @marker, jsonb_build_object('marker', @marker::text)) RETURNING id
                """, new { tenant, marker });
            if (tenant == B) BIds.Add(auditId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        BIds.Add(B);
    }
}
