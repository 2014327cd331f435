using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Features.Attendance;
using VagaVaraDigital.Api.Features.AdminApp;
using VagaVaraDigital.Api.Features.Audit;
using VagaVaraDigital.Api.Features.Email;
using VagaVaraDigital.Api.Features.Health;
using VagaVaraDigital.Api.Features.Reach;
using VagaVaraDigital.Api.Features.Invitees;
using VagaVaraDigital.Api.Features.Invitations;
using VagaVaraDigital.Api.Features.PublicPages;
using VagaVaraDigital.Api.Features.Preferences;
using VagaVaraDigital.Api.Features.Identity;
using VagaVaraDigital.Api.Features.Reference;
using VagaVaraDigital.Api.Features.Tenants;
using VagaVaraDigital.Api.Features.Webcasts;
using VagaVaraDigital.Api.Hosting;
using VagaVaraDigital.Api.Identity;
using VagaVaraDigital.Api.Jobs;
using VagaVaraDigital.Api.Tenancy;

var builder = WebApplication.CreateBuilder(args);

builder.AddObservability();
builder.Services.AddPlatformServices(builder.Configuration);   // Hosting/PlatformServices.cs lists them all

var app = builder.Build();
app.MigrateOnStartupIfConfigured();

// Pipeline: forwarded headers (trusted proxies only) → correlation + problems → headers → tenant (host/path → PathBase)
// → routing → rate limits → auth (cookie or bearer) → antiforgery for the cookie session → tenant checks → policies
app.UseTrustedProxies();      // first: everything after sees the client's scheme and address (ADR 0071)
app.UseObservability();
app.UseProcessRole();          // --role worker: health endpoints only
app.UseSecurityHeaders();
app.UseTenantResolution();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseSessionAntiforgery();
app.UseTenantAccess();
app.UseAuthorization();

// Endpoints
app.MapApiDocs();
app.MapHealthEndpoints();
app.MapReferenceEndpoints();
app.MapTenantEndpoints();
app.MapAuditEndpoints();
app.MapJobsDashboard();
app.MapReachEndpoints();
app.MapInviteeEndpoints();
app.MapWebcastEndpoints();
app.MapInvitationEndpoints();
app.MapAttendanceEndpoints();
app.MapPublicPages();
app.MapSignInEndpoints();
app.MapUserEndpoints();
app.MapConnectEndpoints();
app.MapApiClientEndpoints();
app.MapEmailEndpoints();
app.MapPlatformOutboxEndpoints();   // SystemAdmin: mail to accounts without a county (ADR 0015)
app.MapSsoProviderEndpoints();
app.MapSsoSignInEndpoints();
app.MapPreferencesEndpoints();
app.MapAdminApp();   // the SPA: a fallback, so it answers only what no other endpoint does

app.Run();

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
