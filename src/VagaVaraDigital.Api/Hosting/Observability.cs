using Microsoft.AspNetCore.Routing;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Hosting;

/// <summary>
/// Logging (console in development, JSON otherwise), correlation ids, and problem details for every error:
/// errors a user causes carry a clear message; errors we cause are logged with the correlation id and
/// answered with that id, never a stack trace.
/// </summary>
public static partial class Observability
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.TimestampFormat = "HH:mm:ss "; });
        }
        else
        {
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; });
        }

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["correlationId"] = CorrelationId(ctx.HttpContext);
            ctx.ProblemDetails.Extensions.Remove("traceId");
            // The route's pattern, not the raw path: a problem never echoes ids or tokens from the address.
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern }
                ? pattern
                : ctx.HttpContext.Request.Path;
            if (ctx.ProblemDetails.Status == StatusCodes.Status404NotFound && ctx.ProblemDetails.Title is "Not Found")
            {
                ctx.ProblemDetails.Title = "Hittades inte";
                ctx.ProblemDetails.Detail ??= "Det finns ingenting på den här adressen.";
                ctx.ProblemDetails.Extensions.TryAdd("code", "not_found");
            }
            if (ctx.ProblemDetails.Status == StatusCodes.Status405MethodNotAllowed)
            {
                ctx.ProblemDetails.Title = "Metoden stöds inte";
                ctx.ProblemDetails.Extensions.TryAdd("code", "method_not_allowed");
            }
            if (ctx.ProblemDetails.Status == StatusCodes.Status401Unauthorized && ctx.ProblemDetails.Title is null or "Unauthorized")
            {
                ctx.ProblemDetails.Title = "Du behöver logga in";
                ctx.ProblemDetails.Extensions.TryAdd("code", "unauthenticated");
            }
            if (ctx.ProblemDetails.Status == StatusCodes.Status403Forbidden && ctx.ProblemDetails.Title is "Forbidden")
            {
                ctx.ProblemDetails.Title = "Ingen behörighet";
                ctx.ProblemDetails.Extensions.TryAdd("code", "forbidden");
            }
        });
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.PropertyNameCaseInsensitive = true);
        return builder;
    }

    public static WebApplication UseObservability(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var id = CorrelationId(context);
            context.Response.Headers[CorrelationHeader] = id;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("VagaVaraDigital.Requests");
            using (logger.BeginScope("CorrelationId:{CorrelationId}", id))
            {
                await next(context);
            }
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>The caller's X-Correlation-Id when it is well-formed, else this request's trace id.</summary>
    public static string CorrelationId(HttpContext context)
    {
        if (context.Items.TryGetValue(CorrelationHeader, out var existing) && existing is string s) return s;
        var incoming = context.Request.Headers[CorrelationHeader].ToString();
        var id = SafeId().IsMatch(incoming) ? incoming : Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Items[CorrelationHeader] = id;
        return id;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$")]
    private static partial Regex SafeId();

    sealed class PlatformExceptionHandler(IProblemDetailsService problems, ILogger<PlatformExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            var (status, code, title, detail) = exception switch
            {
                BadHttpRequestException { InnerException: System.Text.Json.JsonException } or System.Text.Json.JsonException =>
                    (400, "malformed_json", "Felaktig JSON", "Innehållet gick inte att läsa som JSON."),
                BadHttpRequestException b => (b.StatusCode, "bad_request", "Felaktig begäran", "Begäran gick inte att tolka."),
                TenantRequiredException => (400, "tenant_required", "Län saknas", "Den här tjänsten gäller ett län."),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                    (499, "cancelled", "Avbruten", null),
                _ => (500, "internal_error", "Något gick fel hos oss",
                    "Försök igen om en stund. Uppge felkoden om du kontaktar supporten."),
            };
            if (status >= 500)
            {
                logger.LogError(exception, "Unhandled error {CorrelationId}", CorrelationId(context));
            }
            else
            {
                logger.LogInformation("Request rejected ({Code}) {CorrelationId}", code, CorrelationId(context));
            }
            context.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
            });
        }
    }
}
