using Microsoft.AspNetCore.Http.HttpResults;
using VagaVaraDigital.Api.Data;

namespace VagaVaraDigital.Api.Features.Reference;

/// <summary>Sweden's counties and municipalities (SCB codes). Public.</summary>
public static class ReferenceApi
{
    public sealed record Municipality(string Code, string Name);
    public sealed record County(string Code, string Name, IReadOnlyList<Municipality> Municipalities);

    public static IEndpointRouteBuilder MapReferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reference").WithTags("Reference").AllowAnonymous();
        group.MapGet("/counties", GetCounties).WithName("GetCounties")
            .WithSummary("Sveriges 21 län med sina 290 kommuner");
        return app;
    }

    static async Task<Ok<County[]>> GetCounties(Db db, HttpContext http, CancellationToken ct)
    {
        await using var uow = await db.ReadGlobalAsync(ct);
        var counties = (await uow.QueryAsync<(string Code, string Name)>("SELECT code, name FROM counties ORDER BY code", ct: ct)).ToArray();
        var municipalities = (await uow.QueryAsync<(string Code, string Name, string CountyCode)>(
            "SELECT code, name, county_code FROM municipalities ORDER BY code", ct: ct)).ToLookup(m => m.CountyCode);
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Ok(counties
            .Select(c => new County(c.Code, c.Name, municipalities[c.Code].Select(m => new Municipality(m.Code, m.Name)).ToArray()))
            .ToArray());
    }
}
