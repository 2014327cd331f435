using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Hosting;

namespace VagaVaraDigital.Api.Features.AdminApp;

/// <summary>Where the built admin SPA lives (Vite's output). Empty → <c>{WebRoot}/app</c>.</summary>
public sealed class AdminAppOptions
{
    public const string Section = "AdminApp";
    public string Path { get; set; } = "";
}

/// <summary>
/// Serves the admin SPA from the same origin as the API: its files (hashed assets cached for a year) and
/// <c>index.html</c> for every other GET that no endpoint answered (client-side routes), at <c>/</c> and under
/// each tenant's prefix (<c>/t/{slug}/…</c> — the tenancy middleware has already moved it into PathBase).
/// The page learns its base at run time from a meta tag filled in here, so one build serves every tenant in
/// both the path and the host mode. Paths of the API and the platform never fall back to the page.
/// </summary>
public static class AdminAppHost
{
    const string BaseMarker = "<meta name=\"vvd-base\" content=\"\">";

    // Whole path segments the platform answers itself (the invitee's /r and /j links included: an empty or
    // broken token there is the public pages' 404, never the admin app).
    static readonly string[] ServerSegments = ["/api", "/openapi", "/docs", "/scalar", "/health", "/jobs", "/connect", "/.well-known", "/r", "/j"];
    static readonly string[] ServerPrefixes = ["/signin-", "/signout-"];
    static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IServiceCollection AddAdminApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminAppOptions>().Bind(configuration.GetSection(AdminAppOptions.Section));
        return services;
    }

    public static IEndpointRouteBuilder MapAdminApp(this IEndpointRouteBuilder app)
    {
        app.MapFallback("{**path}", ServeAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    internal static string Root(IWebHostEnvironment env, AdminAppOptions options) =>
        string.IsNullOrWhiteSpace(options.Path)
            ? System.IO.Path.Combine(env.WebRootPath ?? System.IO.Path.Combine(env.ContentRootPath, "wwwroot"), "app")
            : System.IO.Path.GetFullPath(options.Path);

    static async Task ServeAsync(HttpContext context, IWebHostEnvironment env, IOptions<AdminAppOptions> options)
    {
        var path = context.Request.Path.Value ?? "/";
        var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (!isRead || ServerSegments.Any(s => context.Request.Path.StartsWithSegments(s, StringComparison.OrdinalIgnoreCase))
            || ServerPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", "Hittades inte",
                "Det finns ingenting på den här adressen.");
            return;
        }

        var root = Root(env, options.Value);
        if (!Directory.Exists(root))
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "admin_app_missing", "Administrationsgränssnittet är inte byggt",
                "Bygg det med npm run build i src/VagaVaraDigital.Admin (./run.sh gör det).");
            return;
        }

        using var files = new PhysicalFileProvider(root);
        var file = path.Length > 1 ? files.GetFileInfo(path) : null;
        if (file is { Exists: true, IsDirectory: false, PhysicalPath: not null } && file.Name != "index.html")
        {
            if (!ContentTypes.TryGetContentType(file.Name, out var type)) type = "application/octet-stream";
            context.Response.Headers.CacheControl = path.StartsWith("/assets/", StringComparison.Ordinal)
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            await Results.File(file.PhysicalPath, type).ExecuteAsync(context);
            return;
        }

        // A missing file with an extension (an old asset, a typo) is a 404, not the page.
        if (System.IO.Path.HasExtension(path) && !path.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "not_found", "Hittades inte");
            return;
        }

        var index = files.GetFileInfo("index.html");
        if (!index.Exists || index.PhysicalPath is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "admin_app_missing", "Administrationsgränssnittet är inte byggt");
            return;
        }
        var html = await File.ReadAllTextAsync(index.PhysicalPath, context.RequestAborted);
        var pathBase = System.Net.WebUtility.HtmlEncode(context.Request.PathBase.Value ?? "");
        html = html.Replace(BaseMarker, $"<meta name=\"vvd-base\" content=\"{pathBase}\">", StringComparison.Ordinal);
        context.Response.Headers.CacheControl = "no-cache, no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
