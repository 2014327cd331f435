using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// Accounts by invitation only. SystemAdmin invites CountyAdmins and NationalViewers (and any role) on
/// <c>/api/system/users</c>; a CountyAdmin invites CountyEditors of their own tenant on <c>/api/tenant/users</c>
/// and sees and switches off only that tenant's accounts. The invitee sets a password through the e-mailed link.
/// </summary>
public static class UsersApi
{
    public sealed record UserView(string Id, string? Email, string? DisplayName, string Role, string? TenantId, string? MunicipalityCode,
        bool IsActive, bool MfaEnabled, bool HasPassword, DateTime? LastSignInAt, DateTime CreatedAt);
    public sealed record Invite(string? Email, string? DisplayName, string? Role, string? TenantId);
    public sealed record Invited(UserView User, bool Emailed, string? ActivationLink);
    public sealed record ActiveChange(bool IsActive);
    public sealed record RoleChange(string? Role);

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var system = app.MapGroup("/api/system/users").WithTags("Användare").RequireAuthorization(Policies.SystemAdmin);
        system.MapGet("/", ListAll).WithName("ListAllUsers").WithSummary("Alla konton (SystemAdmin)");
        system.MapPost("/", InviteAny).WithName("InviteUser").WithSummary("Bjud in en användare med valfri roll");
        system.MapPut("/{id:guid}/active", SetActiveAny).WithName("SetUserActive").WithSummary("Stäng av eller aktivera ett konto");

        var tenant = app.MapGroup("/api/tenant/users").WithTags("Användare").RequireTenant().RequireAuthorization(Policies.CountyAdmin);
        tenant.MapGet("/", ListTenant).WithName("ListTenantUsers").WithSummary("Länets konton");
        tenant.MapPost("/", InviteToTenant).WithName("InviteTenantUser").WithSummary("Bjud in en handläggare (CountyEditor) till länet");
        tenant.MapPut("/{id:guid}/active", SetActiveInTenant).WithName("SetTenantUserActive").WithSummary("Stäng av eller aktivera ett konto i länet");
        tenant.MapPut("/{id:guid}/role", SetRoleInTenant).WithName("SetTenantUserRole")
            .WithSummary("Gör ett konto i länet till länsadministratör (CountyAdmin) eller handläggare (CountyEditor)");
        return app;
    }

    static UserView View(PlatformUser u) => new(u.Id, u.Email, u.DisplayName, u.Role, u.TenantId, u.MunicipalityCode, u.IsActive,
        u.TwoFactorEnabled, u.PasswordHash is not null, u.LastSignInAt, u.CreatedAt);

    static async Task<Ok<UserView[]>> ListAll(UserManager<PlatformUser> users, string? tenantId, CancellationToken ct) =>
        TypedResults.Ok((await users.Users.Where(u => tenantId == null || u.TenantId == tenantId).OrderBy(u => u.Email).ToListAsync(ct)).Select(View).ToArray());

    static async Task<Ok<UserView[]>> ListTenant(UserManager<PlatformUser> users, ITenantContextAccessor tenant, CancellationToken ct)
    {
        var tenantId = tenant.Tenant!.Id;
        return TypedResults.Ok((await users.Users.Where(u => u.TenantId == tenantId).OrderBy(u => u.Email).ToListAsync(ct)).Select(View).ToArray());
    }

    static Task<Results<Created<Invited>, ValidationProblem, ProblemHttpResult>> InviteAny(Invite invite, UserManager<PlatformUser> users,
        TenantStore tenants, Accounts accounts, CancellationToken ct) =>
        InviteAsync(invite with { TenantId = Blank(invite.TenantId) }, Roles.All.Where(r => r != Roles.MunicipalUser).ToArray(), users, tenants, accounts, ct);

    static Task<Results<Created<Invited>, ValidationProblem, ProblemHttpResult>> InviteToTenant(Invite invite, UserManager<PlatformUser> users,
        TenantStore tenants, Accounts accounts, ITenantContextAccessor tenant, CurrentUser current, CancellationToken ct)
    {
        // A CountyAdmin invites CountyEditors; SystemAdmin may also appoint the county's CountyAdmins here.
        string[] allowed = current.IsInRole(Roles.SystemAdmin) ? [Roles.CountyAdmin, Roles.CountyEditor] : [Roles.CountyEditor];
        return InviteAsync(invite with { TenantId = tenant.Tenant!.Id }, allowed, users, tenants, accounts, ct);
    }

    static async Task<Results<Created<Invited>, ValidationProblem, ProblemHttpResult>> InviteAsync(Invite invite, string[] allowedRoles,
        UserManager<PlatformUser> users, TenantStore tenants, Accounts accounts, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var email = invite.Email?.Trim() ?? "";
        if (email.Length is 0 or > 254 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
            errors["email"] = ["Ange en giltig e-postadress."];
        if (invite.Role is null || !allowedRoles.Contains(invite.Role))
            errors["role"] = [$"Du kan bjuda in: {string.Join(", ", allowedRoles)}."];
        var crossTenant = invite.Role is not null && Roles.CrossTenant.Contains(invite.Role);
        if (!crossTenant && (invite.TenantId is null || await tenants.FindByIdAsync(invite.TenantId, ct) is null))
            errors["tenantId"] = ["Ange länet användaren hör till."];
        if (crossTenant && invite.TenantId is not null)
            errors["tenantId"] = ["Den här rollen hör inte till något län."];
        if (invite.DisplayName is { Length: > 200 }) errors["displayName"] = ["Högst 200 tecken."];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await users.FindByEmailAsync(email) is not null)
            return Problems.Conflict("user_exists", "Det finns redan ett konto med den e-postadressen");

        var user = new PlatformUser
        {
            UserName = email, Email = email, DisplayName = Blank(invite.DisplayName), Role = invite.Role!,
            TenantId = crossTenant ? null : invite.TenantId, CreatedAt = DateTime.UtcNow,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
            return Problems.Validation(new Dictionary<string, string[]> { ["email"] = created.Errors.Select(e => e.Description).ToArray() });

        var link = await accounts.InvitationLinkAsync(user);
        var emailed = await accounts.EnqueueAsync(user, "user_invitation", link, ct);
        await accounts.AuditAsync(user, "user.invited", new { role = user.Role, emailed }, ct);
        // The link goes by e-mail only (tenant outbox, or the platform outbox for accounts without a tenant); the
        // response keeps "activationLink" for the case an account has no address to send to.
        return TypedResults.Created($"/api/system/users/{user.Id}", new Invited(View(user), emailed, emailed ? null : link));
    }

    static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetActiveAny(string id, ActiveChange change, UserManager<PlatformUser> users,
        SessionStore sessions, Accounts accounts, CurrentUser current, CancellationToken ct) =>
        await SetActiveAsync(await users.FindByIdAsync(id), change, users, sessions, accounts, current, ct);

    static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetActiveInTenant(string id, ActiveChange change, UserManager<PlatformUser> users,
        SessionStore sessions, Accounts accounts, CurrentUser current, ITenantContextAccessor tenant, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        // Another tenant's account, or a national one, does not exist as far as this tenant is concerned.
        return await SetActiveAsync(user?.TenantId == tenant.Tenant!.Id ? user : null, change, users, sessions, accounts, current, ct);
    }

    static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetActiveAsync(PlatformUser? user, ActiveChange change, UserManager<PlatformUser> users,
        SessionStore sessions, Accounts accounts, CurrentUser current, CancellationToken ct)
    {
        if (user is null) return Problems.NotFound("Kontot finns inte");
        if (user.Id == current.Id) return Problems.Conflict("own_account", "Du kan inte stänga av ditt eget konto");
        user.IsActive = change.IsActive;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        if (!change.IsActive) await sessions.RemoveAllAsync(user.Id, ct);
        await accounts.AuditAsync(user, change.IsActive ? "user.activated" : "user.deactivated", null, ct);
        return TypedResults.Ok(View(user));
    }

    /// <summary>
    /// CountyAdmin ↔ CountyEditor within the tenant (a MunicipalUser's role follows from their municipality's sign-in and
    /// is not changed here; nobody changes their own role). The account's sessions end, so the new role — and for a
    /// CountyAdmin the TOTP requirement — applies from the next sign-in. Audited with the old and the new role.
    /// </summary>
    static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> SetRoleInTenant(string id, RoleChange change,
        UserManager<PlatformUser> users, SessionStore sessions, Accounts accounts, CurrentUser current, ITenantContextAccessor tenant,
        CancellationToken ct)
    {
        string[] countyRoles = [Roles.CountyAdmin, Roles.CountyEditor];
        if (change.Role is null || !countyRoles.Contains(change.Role))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["role"] = ["Välj länsadministratör (CountyAdmin) eller handläggare (CountyEditor)."],
            });
        }
        var user = await users.FindByIdAsync(id);
        if (user is null || user.TenantId != tenant.Tenant!.Id) return Problems.NotFound("Kontot finns inte");
        if (user.Id == current.Id) return Problems.Conflict("own_account", "Du kan inte ändra din egen roll");
        if (!countyRoles.Contains(user.Role))
        {
            return Problems.Conflict("role_not_changeable", "Kommunanvändare loggar in via kommunens inloggning; deras roll ändras inte här");
        }
        if (user.Role == change.Role) return TypedResults.Ok(View(user));
        var from = user.Role;
        user.Role = change.Role;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await sessions.RemoveAllAsync(user.Id, ct);
        await accounts.AuditAsync(user, "user.role_changed", new { from, to = user.Role }, ct);
        return TypedResults.Ok(View(user));
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
