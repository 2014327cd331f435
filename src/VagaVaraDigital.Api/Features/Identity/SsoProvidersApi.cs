using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Identity.Sso;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Identity;

/// <summary>
/// A county's municipal SSO providers (CountyAdmin): issuer, client id, client secret (protected with Data
/// Protection, never returned), the e-mail domains served and the municipality of each domain. Every change
/// reloads the OpenIddict client's registrations and is audit-logged (without the secret).
/// </summary>
public static class SsoProvidersApi
{
    public sealed record DomainMapping(string Domain, string MunicipalityCode);
    public sealed record ProviderInput(string? DisplayName, string? Issuer, string? ClientId, string? ClientSecret, DomainMapping[]? Domains, bool? IsEnabled);

    public sealed class ProviderView
    {
        public Guid Id { get; init; }
        public required string DisplayName { get; init; }
        public required string Issuer { get; init; }
        public required string ClientId { get; init; }
        public bool HasClientSecret { get; init; }
        public bool IsEnabled { get; init; }
        public DomainMapping[] Domains { get; set; } = [];
        public string RedirectUri { get; set; } = "";
    }

    public static IEndpointRouteBuilder MapSsoProviderEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tenant/sso-providers").WithTags("Kommunal inloggning (SSO)").RequireTenant().RequireAuthorization(Policies.CountyAdmin);
        group.MapGet("/", List).WithName("ListSsoProviders").WithSummary("Länets inloggningstjänster för kommuner");
        group.MapPost("/", Create).WithName("CreateSsoProvider").WithSummary("Lägg till en kommuns OpenID Connect-tjänst");
        group.MapPut("/{id:guid}", Update).WithName("UpdateSsoProvider").WithSummary("Ändra en inloggningstjänst (tomt hemligt värde = oförändrat)");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteSsoProvider").WithSummary("Ta bort en inloggningstjänst");
        return app;
    }

    const string Select = """
        SELECT id, display_name AS DisplayName, issuer, client_id AS ClientId, protected_client_secret IS NOT NULL AS HasClientSecret,
               is_enabled AS IsEnabled
        FROM sso_providers
        """;

    static async Task<ProviderView[]> LoadAsync(UnitOfWork uow, Guid? id, Accounts accounts, CancellationToken ct)
    {
        var providers = (await uow.QueryAsync<ProviderView>(Select + " WHERE (@id::uuid IS NULL OR id = @id) ORDER BY display_name, id", new { id }, ct)).ToArray();
        var domains = (await uow.QueryAsync<(Guid ProviderId, string Domain, string Municipality)>(
            "SELECT provider_id, domain, municipality_code FROM sso_provider_domains ORDER BY domain", ct: ct)).ToList();
        foreach (var p in providers)
        {
            p.Domains = domains.Where(d => d.ProviderId == p.Id).Select(d => new DomainMapping(d.Domain, d.Municipality)).ToArray();
            p.RedirectUri = $"{accounts.Origin}/signin-oidc/{p.Id:N}";
        }
        return providers;
    }

    static async Task<Ok<ProviderView[]>> List(Db db, Accounts accounts, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await LoadAsync(uow, null, accounts, ct));
    }

    static async Task<Dictionary<string, string[]>> ValidateAsync(ProviderInput input, bool creating, UnitOfWork uow, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.DisplayName) || input.DisplayName.Trim().Length > 200) errors["displayName"] = ["Ange ett namn på högst 200 tecken."];
        if (!Uri.TryCreate(input.Issuer?.Trim(), UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http")
            || (issuer.Scheme == "http" && !issuer.IsLoopback) || issuer.Query.Length > 0 || issuer.Fragment.Length > 0)
            errors["issuer"] = ["Ange utfärdarens https-adress (issuer), till exempel https://login.kommun.se/."];
        if (string.IsNullOrWhiteSpace(input.ClientId) || input.ClientId.Trim().Length > 200) errors["clientId"] = ["Ange klient-id."];
        if (creating && string.IsNullOrWhiteSpace(input.ClientSecret)) errors["clientSecret"] = ["Ange klienthemligheten."];
        var domains = (input.Domains ?? []).Select(d => new DomainMapping((d.Domain ?? "").Trim().ToLowerInvariant(), (d.MunicipalityCode ?? "").Trim())).ToArray();
        if (domains.Length == 0) errors["domains"] = ["Ange minst en e-postdomän och dess kommun."];
        else if (domains.Select(d => d.Domain).Distinct().Count() != domains.Length) errors["domains"] = ["Samma domän finns två gånger."];
        else if (domains.Any(d => !System.Text.RegularExpressions.Regex.IsMatch(d.Domain, @"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")))
            errors["domains"] = ["Ange domäner som knivsta.se (utan @)."];
        else
        {
            var codes = domains.Select(d => d.MunicipalityCode).Distinct().ToArray();
            var inCounty = (await uow.QueryAsync<string>("SELECT code FROM municipalities WHERE code = ANY(@codes) AND county_code = @tenant",
                new { codes, tenant = uow.RequiredTenantId }, ct)).ToHashSet();
            var wrong = codes.Where(c => !inCounty.Contains(c)).ToArray();
            if (wrong.Length > 0) errors["domains"] = [$"Kommunkoderna {string.Join(", ", wrong)} finns inte i länet."];
        }
        return errors;
    }

    static async Task<Results<Created<ProviderView>, ValidationProblem, ProblemHttpResult>> Create(ProviderInput input, Db db, AuditLog audit,
        Accounts accounts, IDataProtectionProvider dp, SsoCatalog catalog, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var errors = await ValidateAsync(input, creating: true, uow, ct);
        if (errors.Count > 0) return Problems.Validation(errors);
        var id = await uow.QuerySingleAsync<Guid>("""
            INSERT INTO sso_providers (tenant_id, display_name, issuer, client_id, protected_client_secret, is_enabled)
            VALUES (@tenant, @DisplayName, @Issuer, @ClientId, @secret, @enabled) RETURNING id
            """, new
        {
            tenant = uow.RequiredTenantId, DisplayName = input.DisplayName!.Trim(), Issuer = input.Issuer!.Trim(), ClientId = input.ClientId!.Trim(),
            secret = dp.CreateProtector(SsoClientRegistrations.SecretPurpose).Protect(input.ClientSecret!), enabled = input.IsEnabled ?? true,
        }, ct);
        var conflict = await SaveDomainsAsync(uow, id, input.Domains!, ct);
        if (conflict is not null) return conflict;
        await audit.RecordAsync(uow, "sso.provider_created", $"sso:{id}", new { issuer = input.Issuer!.Trim(), domains = input.Domains!.Select(d => d.Domain) }, ct);
        var view = (await LoadAsync(uow, id, accounts, ct)).Single();
        await uow.CommitAsync(ct);
        await catalog.ReloadAsync(ct);
        return TypedResults.Created($"/api/tenant/sso-providers/{id}", view);
    }

    static async Task<Results<Ok<ProviderView>, ValidationProblem, ProblemHttpResult>> Update(Guid id, ProviderInput input, Db db, AuditLog audit,
        Accounts accounts, IDataProtectionProvider dp, SsoCatalog catalog, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var errors = await ValidateAsync(input, creating: false, uow, ct);
        if (errors.Count > 0) return Problems.Validation(errors);
        var updated = await uow.ExecuteAsync("""
            UPDATE sso_providers SET display_name = @DisplayName, issuer = @Issuer, client_id = @ClientId,
                   protected_client_secret = coalesce(@secret, protected_client_secret), is_enabled = @enabled, updated_at = now()
            WHERE id = @id
            """, new
        {
            id, DisplayName = input.DisplayName!.Trim(), Issuer = input.Issuer!.Trim(), ClientId = input.ClientId!.Trim(), enabled = input.IsEnabled ?? true,
            secret = string.IsNullOrEmpty(input.ClientSecret) ? null : dp.CreateProtector(SsoClientRegistrations.SecretPurpose).Protect(input.ClientSecret),
        }, ct);
        if (updated == 0) return Problems.NotFound("Inloggningstjänsten finns inte");
        await uow.ExecuteAsync("DELETE FROM sso_provider_domains WHERE provider_id = @id", new { id }, ct);
        var conflict = await SaveDomainsAsync(uow, id, input.Domains!, ct);
        if (conflict is not null) return conflict;
        await audit.RecordAsync(uow, "sso.provider_updated", $"sso:{id}",
            new { issuer = input.Issuer!.Trim(), secretChanged = !string.IsNullOrEmpty(input.ClientSecret), domains = input.Domains!.Select(d => d.Domain) }, ct);
        var view = (await LoadAsync(uow, id, accounts, ct)).Single();
        await uow.CommitAsync(ct);
        await catalog.ReloadAsync(ct);
        return TypedResults.Ok(view);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, Db db, AuditLog audit, SsoCatalog catalog, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        if (await uow.ExecuteAsync("DELETE FROM sso_providers WHERE id = @id", new { id }, ct) == 0) return Problems.NotFound("Inloggningstjänsten finns inte");
        await audit.RecordAsync(uow, "sso.provider_deleted", $"sso:{id}", null, ct);
        await uow.CommitAsync(ct);
        await catalog.ReloadAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Domains are unique across all counties (a unique index that row-level security does not hide).</summary>
    static async Task<ProblemHttpResult?> SaveDomainsAsync(UnitOfWork uow, Guid id, DomainMapping[] domains, CancellationToken ct)
    {
        try
        {
            await uow.ExecuteAsync("SAVEPOINT domains", ct: ct);
            foreach (var d in domains)
            {
                await uow.ExecuteAsync("""
                    INSERT INTO sso_provider_domains (domain, tenant_id, provider_id, municipality_code) VALUES (@domain, @tenant, @id, @code)
                    """, new { domain = d.Domain.Trim().ToLowerInvariant(), tenant = uow.RequiredTenantId, id, code = d.MunicipalityCode.Trim() }, ct);
            }
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("sso_domain_taken", "Domänen används redan", "En av domänerna hör redan till en annan inloggningstjänst.");
        }
    }
}
