using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using VagaVaraDigital.Api.Hosting;

namespace VagaVaraDigital.Api.Identity;

/// <summary>A sign-in step's request that names an account by e-mail address.</summary>
public interface ISignInAccount
{
    string? Email { get; }
}

/// <summary>
/// The sign-in limit per account, beside the one per client address (the "sign-in" rate-limit policy): counted by the
/// e-mail address a step names, whatever address it comes from, so a spread-out attempt on one account is held too
/// (and an unknown address, which Identity's lockout does not cover). Per instance, in memory (ADR 0072).
/// </summary>
public sealed class SignInAccountLimiter(IOptions<PlatformIdentityOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInAccountPermitLimit, Window = options.Value.SignInWindow, QueueLimit = 0,
        }), StringComparer.Ordinal);

    /// <summary>Refuses a step with 429 when its account has used up its window; steps without an address pass.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var email = context.Arguments.OfType<ISignInAccount>().FirstOrDefault()?.Email?.Trim();
        if (string.IsNullOrEmpty(email)) return await next(context);
        using var lease = context.HttpContext.RequestServices.GetRequiredService<SignInAccountLimiter>()._limiter
            .AttemptAcquire(email.ToUpperInvariant());
        if (!lease.IsAcquired)
        {
            return Problems.Result(StatusCodes.Status429TooManyRequests, "rate_limited", "För många försök", "Vänta en stund och försök igen.");
        }
        return await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}
