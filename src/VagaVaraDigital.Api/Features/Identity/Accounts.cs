using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// What the account endpoints share: invitation and reset links (sent through the e-mail outbox — the tenant's, or the
/// platform outbox for accounts without a tenant), and the
/// security audit of sign-ins, refusals and user changes (in the user's tenant; cross-tenant accounts have no
/// tenant audit log and are logged as security events with ids only).
/// </summary>
public sealed class Accounts(UserManager<PlatformUser> users, Db db, AuditLog audit, IOptions<PlatformIdentityOptions> options,
    IHttpContextAccessor http, ILogger<Accounts> logger)
{
    public const string InvitationPurpose = "invitation";

    public string Origin
    {
        get
        {
            if (options.Value.PublicOrigin.Length > 0) return options.Value.PublicOrigin.TrimEnd('/');
            var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Identity:PublicOrigin is needed outside a request.");
            return $"{request.Scheme}://{request.Host}";
        }
    }

    public async Task<string> InvitationLinkAsync(PlatformUser user)
    {
        var token = await users.GenerateUserTokenAsync(user, InvitationTokenProvider.TokenName, InvitationPurpose);
        return $"{Origin}/konto/aktivera?anvandare={Uri.EscapeDataString(user.Id)}&kod={Uri.EscapeDataString(token)}";
    }

    public async Task<string> PasswordResetLinkAsync(PlatformUser user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return $"{Origin}/konto/nytt-losenord?anvandare={Uri.EscapeDataString(user.Id)}&kod={Uri.EscapeDataString(token)}";
    }

    /// <summary>
    /// Queues the e-mail: in the user's tenant outbox, or — for an account without a tenant (SystemAdmin,
    /// NationalViewer) — in the platform outbox (docs/decisions/0015). One message per kind and security stamp.
    /// </summary>
    public async Task<bool> EnqueueAsync(PlatformUser user, string kind, string link, CancellationToken ct)
    {
        if (user.Email is null) return false;
        var key = $"user:{user.Id}:{kind}:{user.SecurityStamp}";
        var payload = new { link, role = user.Role, displayName = user.DisplayName };
        if (user.TenantId is null)
        {
            await using var global = await db.BeginGlobalAsync(ct);
            await PlatformOutbox.EnqueueAsync(global, new PlatformMessage(kind, key, user.Email, user.Id, payload), ct);
            await global.CommitAsync(ct);
            return true;
        }
        await using var uow = await db.BeginForTenantAsync(user.TenantId, ct);
        await Outbox.EnqueueAsync(uow, new OutboxMessage(kind, key, user.Email, UserId: user.Id, Payload: payload), ct);
        await uow.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Audit entry in the user's tenant, or — for an account without one (SystemAdmin, NationalViewer) — in the platform's
    /// audit log (docs/decisions/0067), with a security log line as before.
    /// </summary>
    public async Task AuditAsync(PlatformUser? user, string action, object? details = null, CancellationToken ct = default, string? tenantId = null)
    {
        tenantId ??= user?.TenantId;
        if (tenantId is null)
        {
            logger.LogInformation("Security event {Action} for user {UserId}", action, user?.Id ?? "unknown");
            await using var global = await db.BeginGlobalAsync(ct);
            await audit.RecordPlatformAsync(global, action, user is null ? null : $"user:{user.Id}", details, ct);
            await global.CommitAsync(ct);
            return;
        }
        await using var uow = await db.BeginForTenantAsync(tenantId, ct);
        await audit.RecordForTenantAsync(uow, tenantId, action, user is null ? null : $"user:{user.Id}", details, ct);
        await uow.CommitAsync(ct);
    }
}
