using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace VagaVaraDigital.Api.Hosting;

/// <summary>
/// Problem details (RFC 9457) the way the platform writes them: Swedish title and detail for people, a
/// stable <c>code</c> for programs (the SPA translates by it), and the request's correlation id.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Result(int status, string code, string title, string? detail = null,
        IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: ext);
    }

    public static ProblemHttpResult NotFound(string title = "Hittades inte", string? detail = null) =>
        Result(StatusCodes.Status404NotFound, "not_found", title, detail);

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null) =>
        Result(StatusCodes.Status409Conflict, code, title, detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "Uppgifterna behöver rättas",
            extensions: new Dictionary<string, object?> { ["code"] = "validation" });

    /// <summary>Writes a problem from middleware, outside an endpoint.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }
}
