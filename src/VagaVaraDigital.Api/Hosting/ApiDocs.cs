using Scalar.AspNetCore;

namespace VagaVaraDigital.Api.Hosting;

/// <summary>The OpenAPI document at /openapi/v1.json and the Scalar UI at /docs.</summary>
public static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Våga vara digital API";
            doc.Info.Description = "Inbjudningslistor, webbsändningar, OSA, närvaro och räckvidd för kompetenssatsningen Våga vara digital. " +
                "Länets endpoints nås under /t/{län}/… (eller {län}.{bas-domän}).";
            doc.Info.Version = "v1";
            return Task.CompletedTask;
        }));

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Våga vara digital API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        return app;
    }
}
