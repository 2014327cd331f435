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

    /// <summary>
    /// The seeded invitation's token. Without the marker on purpose: error responses echo the request path, and a
    /// token is an address, not B's data (a leak of B's invitation shows B's marked webcast title instead).
    /// </summary>
    public static string Token(string tenant) => $"seeded-token-{tenant}-0123456789abcdef";

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

            var municipality = tenant == A ? AMunicipality : BMunicipality;
            var inviteeId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, municipality_code, role_category, title, notes)
                VALUES (@tenant, @marker, @marker, @email, @email, @email, @municipality, 'fortroendevald', @marker, @marker) RETURNING id
                """, new { tenant, marker, municipality, email = $"{marker}@kommun.se" });
            var webcastId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO webcasts (tenant_id, title, description, starts_at, duration_minutes, join_url, status)
                VALUES (@tenant, @marker, @marker, now() + interval '7 days', 60, 'https://teams.example/' || @marker, 'scheduled') RETURNING id
                """, new { tenant, marker });
            var invitationId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status)
                VALUES (@tenant, @webcastId, @inviteeId, @token, 'accepted') RETURNING id
                """, new { tenant, webcastId, inviteeId, token = Token(tenant) });
            var attendanceId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO attendance (tenant_id, invitation_id, source, minutes) VALUES (@tenant, @invitationId, 'manual', 45) RETURNING id
                """, new { tenant, invitationId });
            var importId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO attendance_imports (tenant_id, webcast_id, source, content_sha256, file_name, rows_total, rows_matched)
                VALUES (@tenant, @webcastId, 'teams', @marker, @marker || '.csv', 1, 1) RETURNING id
                """, new { tenant, webcastId, marker });
            var outboxId = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO email_outbox (tenant_id, kind, idempotency_key, invitation_id, to_address, payload)
                VALUES (@tenant, 'invitation', @marker, @invitationId, @email, jsonb_build_object('marker', @marker::text)) RETURNING id
                """, new { tenant, marker, invitationId, email = $"{marker}@kommun.se" });
            var importBatchId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO invitee_import_batches (tenant_id, created_by, file_name, format, policy, row_count, created_count,
                                                    updated_count, unchanged_count, skipped_count)
                VALUES (@tenant, @marker, @marker || '.csv', 'csv', 'update', 1, 1, 0, 0, 0) RETURNING id
                """, new { tenant, marker });
            await conn.ExecuteAsync("UPDATE invitees SET import_batch_id = @importBatchId, source = 'import' WHERE id = @inviteeId",
                new { importBatchId, inviteeId });
            await conn.ExecuteAsync("""
                INSERT INTO invitee_privacy_settings (tenant_id, legal_basis, purpose, retention_months)
                VALUES (@tenant, 'Rättslig grund ' || @marker, 'Ändamål ' || @marker, 24)
                """, new { tenant, marker });
            await conn.ExecuteAsync("""
                INSERT INTO email_templates (tenant_id, kind, language, subject, body, updated_by)
                VALUES (@tenant, 'reminder', 'sv', @marker, @marker, @marker)
                """, new { tenant, marker });
            await conn.ExecuteAsync("""
                INSERT INTO reach_snapshots (tenant_id, snapshot_date, target, invited, answered, accepted, reached,
                                             municipalities_total, municipalities_covered)
                VALUES (@tenant, DATE '2026-11-01', 100, 1, 1, 1, 1, 8, 1)
                """, new { tenant });
            // reach_invitees and reach_webcasts follow from the rows above (maintained at commit); reach_dirty is a
            // per-transaction queue, emptied at commit: a row of a transaction that never commits again (txid 0).
            await conn.ExecuteAsync("INSERT INTO reach_dirty (txid, tenant_id, kind, id) VALUES (0, @tenant, 'i', @inviteeId)",
                new { tenant, inviteeId });
            // Identity: a municipal SSO provider with one domain, and (global table, app-enforced) a user of the tenant.
            var providerId = await conn.ExecuteScalarAsync<Guid>("""
                INSERT INTO sso_providers (tenant_id, display_name, issuer, client_id) VALUES (@tenant, @marker, 'https://idp.' || @marker || '.se/', @marker)
                RETURNING id
                """, new { tenant, marker });
            await conn.ExecuteAsync("""
                INSERT INTO sso_provider_domains (domain, tenant_id, provider_id, municipality_code) VALUES (@domain, @tenant, @providerId, @municipality)
                """, new { domain = $"{marker}.kommun.se", tenant, providerId, municipality });
            var userId = Guid.NewGuid().ToString();
            await conn.ExecuteAsync("""
                INSERT INTO "AspNetUsers" ("Id", "Role", "TenantId", "DisplayName", "IsDemo", "IsActive", "CreatedAt", "UserName", "NormalizedUserName",
                  "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
                VALUES (@userId, 'CountyEditor', @tenant, @marker, false, true, now(), @email, upper(@email), @email, upper(@email), true, @marker, false, false, true, 0)
                """, new { userId, tenant, marker, email = $"{marker}@lansstyrelsen.se" });
            await conn.ExecuteAsync("INSERT INTO email_user_settings (tenant_id, user_id, daily_digest) VALUES (@tenant, @userId, false)",
                new { tenant, userId });
            if (tenant == B)
            {
                BIds.Add(importBatchId.ToString());
                BIds.AddRange([providerId.ToString(), userId]);
                BIds.AddRange([inviteeId.ToString(), webcastId.ToString(), invitationId.ToString(), attendanceId.ToString(), importId.ToString(),
                    outboxId.ToString(System.Globalization.CultureInfo.InvariantCulture), Token(tenant)]);
            }
        }
        BIds.Add(B);
    }
}
