using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Sso;
using VagaVaraDigital.Api.Identity.Store;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// The SPA's sign-in (BFF): e-mail first (home-realm discovery), password, TOTP (or enrolment at the first
/// sign-in for the MFA roles), recovery codes, sign-out, password reset by e-mail and accepting an
/// invitation. Every step is rate limited and needs the antiforgery token from <c>GET /api/auth/session</c>.
/// </summary>
public static class SignInApi
{
    public sealed record SessionUser(string Id, string? Email, string? Name, string Role, string? TenantId, string? TenantSlug, string? MunicipalityCode);
    public sealed record Session(bool Authenticated, SessionUser? User, string? Pending, string AntiforgeryToken);
    public sealed record DiscoverRequest(string? Email) : ISignInAccount;
    public sealed record DiscoverResponse(string Method, string? ProviderName, string? StartUrl);
    public sealed record SignInRequest(string? Email, string? Password) : ISignInAccount;
    public sealed record SignInResponse(string Status, string AntiforgeryToken);
    public sealed record MfaCode(string? Code, string? RecoveryCode);
    public sealed record MfaEnrolment(string SharedKey, string AuthenticatorUri);
    public sealed record MfaEnabled(string Status, string[] RecoveryCodes, string AntiforgeryToken);
    public sealed record ForgotPassword(string? Email) : ISignInAccount;
    public sealed record SetPassword(string? UserId, string? Token, string? Password);

    const string EnrolClaim = "vvd_mfa_enrol";

    public static IServiceCollection AddSignIn(this IServiceCollection services) => services.AddScoped<Accounts>();

    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Inloggning").AllowAnonymous();
        auth.MapGet("/session", GetSession).WithName("GetSession").WithSummary("Inloggad användare och antiforgery-token");
        var steps = auth.MapGroup("");
        steps.RequireRateLimiting(PlatformIdentity.SignInRateLimit);   // per client address
        steps.AddEndpointFilter(SignInAccountLimiter.FilterAsync);      // and per account named in the step
        steps.WithMetadata(new RequiresAntiforgeryAttribute());
        steps.MapPost("/discover", Discover).WithName("DiscoverSignIn").WithSummary("E-post först: organisationens inloggning eller lösenord");
        steps.MapPost("/sign-in", SignIn).WithName("SignIn").WithSummary("Logga in med e-post och lösenord");
        steps.MapPost("/mfa/verify", VerifyMfa).WithName("VerifyMfa").WithSummary("Andra steget: kod från appen eller en reservkod");
        steps.MapPost("/mfa/enrolment", StartEnrolment).WithName("StartMfaEnrolment").WithSummary("Ny nyckel för tvåstegsverifiering");
        steps.MapPost("/mfa/enrolment/confirm", ConfirmEnrolment).WithName("ConfirmMfaEnrolment").WithSummary("Bekräfta appen och få reservkoder");
        steps.MapPost("/password/forgot", Forgot).WithName("ForgotPassword").WithSummary("Skicka en länk för nytt lösenord");
        steps.MapPost("/password/reset", Reset).WithName("ResetPassword").WithSummary("Välj nytt lösenord via länken");
        steps.MapPost("/invitations/accept", AcceptInvitation).WithName("AcceptInvitation").WithSummary("Välj lösenord via inbjudan");
        auth.MapPost("/sign-out", SignOut).WithName("SignOut").WithSummary("Logga ut (sessionen avslutas på servern)");
        return app;
    }

    static async Task<Ok<Session>> GetSession(HttpContext http, IAntiforgery antiforgery, UserManager<PlatformUser> users,
        TenantStore tenants, CancellationToken ct)
    {
        var token = antiforgery.GetAndStoreTokens(http).RequestToken!;
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true && user.Identity.AuthenticationType == IdentityConstants.ApplicationScheme)
        {
            var tenantId = user.FindFirstValue(VvdClaims.Tenant);
            var slug = tenantId is null ? null : (await tenants.FindByIdAsync(tenantId, ct))?.Slug;
            return TypedResults.Ok(new Session(true, new SessionUser(user.FindFirstValue(ClaimTypes.NameIdentifier)!, user.FindFirstValue(ClaimTypes.Email),
                user.FindFirstValue("name") ?? user.FindFirstValue(ClaimTypes.Name), user.FindFirstValue(ClaimTypes.Role) ?? "", tenantId, slug,
                user.FindFirstValue(VvdClaims.Municipality)), null, token));
        }
        var partial = await http.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var pending = partial.Succeeded ? (partial.Principal!.HasClaim(c => c.Type == EnrolClaim) ? "mfa_enrolment_required" : "mfa_required") : null;
        return TypedResults.Ok(new Session(false, null, pending, token));
    }

    static async Task<Ok<DiscoverResponse>> Discover(DiscoverRequest request, SsoCatalog catalog, CancellationToken ct)
    {
        var provider = await catalog.FindByEmailAsync(request.Email, ct);
        return TypedResults.Ok(provider is null
            ? new DiscoverResponse("password", null, null)
            : new DiscoverResponse("sso", provider.DisplayName,
                $"/api/auth/sso/{provider.Id}/start?login_hint={Uri.EscapeDataString(request.Email!.Trim())}"));
    }

    static ProblemHttpResult Failed() => Problems.Result(StatusCodes.Status401Unauthorized, "sign_in_failed",
        "Inloggningen misslyckades", "Fel e-postadress eller lösenord, eller för många försök. Försök igen om en stund.");

    static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(SignInRequest request, HttpContext http,
        UserManager<PlatformUser> users, SignInManager<PlatformUser> signIn, MfaPolicy mfa, Accounts accounts, IAntiforgery antiforgery,
        CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
        if (user is null || !user.IsActive || user.PasswordHash is null)
        {
            // The same work and the same answer as a wrong password: no way to tell which accounts exist.
            users.PasswordHasher.VerifyHashedPassword(new PlatformUser(), TimingHash, request.Password ?? "");
            if (user is not null) await accounts.AuditAsync(user, "user.sign_in_refused", new { reason = user.IsActive ? "no_password" : "inactive" }, ct);
            return Failed();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            await accounts.AuditAsync(user, result.IsLockedOut ? "user.locked_out" : "user.sign_in_failed", new { method = "password" }, ct);
            return Failed();
        }
        if (user.TwoFactorEnabled || mfa.IsRequired(user))
        {
            var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
            identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
            if (!user.TwoFactorEnabled) identity.AddClaim(new Claim(EnrolClaim, "1"));
            await http.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
            return TypedResults.Ok(new SignInResponse(user.TwoFactorEnabled ? "mfa_required" : "mfa_enrolment_required",
                antiforgery.GetAndStoreTokens(http).RequestToken!));
        }
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "pwd")]);
        return TypedResults.Ok(new SignInResponse("signed_in", await SignedInAsync(http, user, users, signIn, accounts, antiforgery, "password", ct)));
    }

    /// <summary>After the session cookie is issued: last sign-in, audit, and a token bound to the new user.</summary>
    static async Task<string> SignedInAsync(HttpContext http, PlatformUser user, UserManager<PlatformUser> users, SignInManager<PlatformUser> signIn,
        Accounts accounts, IAntiforgery antiforgery, string method, CancellationToken ct)
    {
        user.LastSignInAt = DateTime.UtcNow;
        await users.UpdateAsync(user);
        http.User = await signIn.CreateUserPrincipalAsync(user);
        await accounts.AuditAsync(user, "user.signed_in", new { method }, ct);
        return antiforgery.GetAndStoreTokens(http).RequestToken!;
    }

    static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> VerifyMfa(MfaCode request, HttpContext http,
        UserManager<PlatformUser> users, SignInManager<PlatformUser> signIn, Accounts accounts, IAntiforgery antiforgery, CancellationToken ct)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null || !user.TwoFactorEnabled)
        {
            return Problems.Result(StatusCodes.Status401Unauthorized, "mfa_session_missing", "Logga in igen", "Börja om med e-post och lösenord.");
        }
        var byRecovery = !string.IsNullOrWhiteSpace(request.RecoveryCode);
        var result = byRecovery
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(request.RecoveryCode!.Replace(" ", "", StringComparison.Ordinal))
            : await signIn.TwoFactorAuthenticatorSignInAsync(Digits(request.Code), isPersistent: false, rememberClient: false);
        if (!result.Succeeded)
        {
            await accounts.AuditAsync(user, result.IsLockedOut ? "user.locked_out" : "user.sign_in_failed", new { method = byRecovery ? "recovery_code" : "totp" }, ct);
            return Problems.Result(StatusCodes.Status401Unauthorized, "mfa_failed", "Koden stämmer inte", "Kontrollera koden i appen och försök igen.");
        }
        return TypedResults.Ok(new SignInResponse("signed_in",
            await SignedInAsync(http, user, users, signIn, accounts, antiforgery, byRecovery ? "recovery_code" : "totp", ct)));
    }

    static string Digits(string? code) => new((code ?? "").Where(char.IsDigit).ToArray());

    static async Task<Results<Ok<MfaEnrolment>, ProblemHttpResult>> StartEnrolment(UserManager<PlatformUser> users, SignInManager<PlatformUser> signIn)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null || user.TwoFactorEnabled)
        {
            return Problems.Result(StatusCodes.Status401Unauthorized, "mfa_session_missing", "Logga in igen", "Börja om med e-post och lösenord.");
        }
        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        var label = Uri.EscapeDataString($"Våga vara digital:{user.Email}");
        return TypedResults.Ok(new MfaEnrolment(key,
            $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString("Våga vara digital")}&digits=6&period=30"));
    }

    static async Task<Results<Ok<MfaEnabled>, ProblemHttpResult>> ConfirmEnrolment(MfaCode request, HttpContext http,
        UserManager<PlatformUser> users, SignInManager<PlatformUser> signIn, Accounts accounts, IAntiforgery antiforgery, CancellationToken ct)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null || user.TwoFactorEnabled || await users.GetAuthenticatorKeyAsync(user) is null)
        {
            return Problems.Result(StatusCodes.Status401Unauthorized, "mfa_session_missing", "Logga in igen", "Börja om med e-post och lösenord.");
        }
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Digits(request.Code)))
        {
            await users.AccessFailedAsync(user);
            await accounts.AuditAsync(user, "user.mfa_enrolment_failed", null, ct);
            return Problems.Result(StatusCodes.Status400BadRequest, "mfa_failed", "Koden stämmer inte", "Kontrollera koden i appen och försök igen.");
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToArray();
        await users.ResetAccessFailedCountAsync(user);
        await http.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        await accounts.AuditAsync(user, "user.mfa_enabled", null, ct);
        return TypedResults.Ok(new MfaEnabled("signed_in", codes, await SignedInAsync(http, user, users, signIn, accounts, antiforgery, "totp_enrolment", ct)));
    }

    static async Task<NoContent> SignOut(HttpContext http, CurrentUser current, UserManager<PlatformUser> users, Accounts accounts, CancellationToken ct)
    {
        var user = current.Id is { } id && current.Principal.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
            ? await users.FindByIdAsync(id) : null;
        // The cookie handler deletes the server-side session (SessionStore.RemoveAsync).
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        await http.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (user is not null) await accounts.AuditAsync(user, "user.signed_out", null, ct);
        return TypedResults.NoContent();
    }

    static async Task<Accepted> Forgot(ForgotPassword request, UserManager<PlatformUser> users, Accounts accounts, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
        // Municipal users sign in with their organisation; they have no password here.
        if (user is { IsActive: true, PasswordHash: not null })
        {
            var sent = await accounts.EnqueueAsync(user, "password_reset", await accounts.PasswordResetLinkAsync(user), ct);
            await accounts.AuditAsync(user, "user.password_reset_requested", new { emailed = sent }, ct);
        }
        // The same answer whether or not the address has an account.
        return TypedResults.Accepted((string?)null);
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Reset(SetPassword request, UserManager<PlatformUser> users,
        SessionStore sessions, Accounts accounts, CancellationToken ct)
    {
        var user = request.UserId is null ? null : await users.FindByIdAsync(request.UserId);
        if (user is null || !user.IsActive || user.PasswordHash is null) return InvalidLink();
        var result = await users.ResetPasswordAsync(user, request.Token ?? "", request.Password ?? "");
        if (!result.Succeeded) return PasswordProblem(result);
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await sessions.RemoveAllAsync(user.Id, ct);
        await accounts.AuditAsync(user, "user.password_reset", null, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AcceptInvitation(SetPassword request, UserManager<PlatformUser> users,
        Accounts accounts, CancellationToken ct)
    {
        var user = request.UserId is null ? null : await users.FindByIdAsync(request.UserId);
        if (user is null || !user.IsActive || user.PasswordHash is not null
            || !await users.VerifyUserTokenAsync(user, InvitationTokenProvider.TokenName, Accounts.InvitationPurpose, request.Token ?? ""))
        {
            return InvalidLink();
        }
        var result = await users.AddPasswordAsync(user, request.Password ?? "");
        if (!result.Succeeded) return PasswordProblem(result);
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await accounts.AuditAsync(user, "user.invitation_accepted", null, ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult InvalidLink() => Problems.Result(StatusCodes.Status400BadRequest, "invalid_link",
        "Länken är ogiltig eller har gått ut", "Be om en ny länk.");

    internal static Results<NoContent, ValidationProblem, ProblemHttpResult> PasswordProblem(IdentityResult result) =>
        result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
            ? InvalidLink()
            : Problems.Validation(new Dictionary<string, string[]> { ["password"] = result.Errors.Select(e => e.Description).ToArray() });

    /// <summary>A hash of a random password, verified when the account does not exist (equal timing).</summary>
    static readonly string TimingHash = new PasswordHasher<PlatformUser>().HashPassword(new PlatformUser(), Guid.NewGuid().ToString());
}
