using Microsoft.AspNetCore.Http.HttpResults;

namespace VagaVaraDigital.Api.Features.Reference;

/// <summary>Sweden's counties and municipalities (SCB codes). Public.</summary>
public static class ReferenceApi
{
    public sealed record Municipality(string Code, string Name);
    public sealed record County(string Code, string Name, IReadOnlyList<Municipality> Municipalities);

    public static IServiceCollection AddReference(this IServiceCollection services) => services.AddSingleton<ReferenceData>();

    public static IEndpointRouteBuilder MapReferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reference").WithTags("Reference").AllowAnonymous();
        group.MapGet("/counties", GetCounties).WithName("GetCounties")
            .WithSummary("Sveriges 21 län med sina 290 kommuner");
        return app;
    }

    static async Task<Ok<County[]>> GetCounties(ReferenceData reference, HttpContext http)
    {
        var data = await reference.GetAsync();
        var municipalities = data.Municipalities.ToLookup(m => m.CountyCode);
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Ok(data.Counties
            .Select(c => new County(c.Code, c.Name, municipalities[c.Code].Select(m => new Municipality(m.Code, m.Name)).ToArray()))
            .ToArray());
    }
}
