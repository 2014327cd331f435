using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VagaVaraDigital.Api.Identity;

/// <summary>
/// Server-side sessions for the SPA cookie (<c>auth_sessions</c>): the cookie carries only a random session
/// id, the ticket stays in PostgreSQL (protected with Data Protection). Sign-out deletes the row; the session
/// also ends after <see cref="PlatformIdentityOptions.SessionAbsoluteLifetime"/> however often it slides.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource, IDataProtectionProvider dataProtection, TimeProvider time,
    IOptions<PlatformIdentityOptions> options) : ITicketStore
{
    readonly IDataProtector _protector = dataProtection.CreateProtector("vvd.sessions.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var now = time.GetUtcNow();
        var userId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A session needs a user id.");
        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO auth_sessions (id, user_id, ticket, created_at, expires_at, absolute_expires_at)
            VALUES (@id, @userId, @ticket, @now, @expires, @absolute);
            DELETE FROM auth_sessions WHERE absolute_expires_at < @now OR expires_at < @now;
            """, new
        {
            id, userId, ticket = Protect(ticket), now = now.UtcDateTime,
            expires = (ticket.Properties.ExpiresUtc ?? now + options.Value.SessionIdleTimeout).UtcDateTime,
            absolute = (now + options.Value.SessionAbsoluteLifetime).UtcDateTime,
        });
        return id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("UPDATE auth_sessions SET ticket = @ticket, expires_at = least(@expires, absolute_expires_at) WHERE id = @key",
            new { key, ticket = Protect(ticket), expires = (ticket.Properties.ExpiresUtc ?? time.GetUtcNow() + options.Value.SessionIdleTimeout).UtcDateTime });
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var row = await conn.QuerySingleOrDefaultAsync<byte[]>(
            "SELECT ticket FROM auth_sessions WHERE id = @key AND expires_at > @now AND absolute_expires_at > @now",
            new { key, now = time.GetUtcNow().UtcDateTime });
        if (row is null) return null;
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(row));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("DELETE FROM auth_sessions WHERE id = @key", new { key });
    }

    /// <summary>Ends every session of a user (account switched off, password changed).</summary>
    public async Task RemoveAllAsync(string userId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM auth_sessions WHERE user_id = @userId", new { userId }, cancellationToken: ct));
    }

    byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));
}

/// <summary>Hands the session store to the application cookie.</summary>
sealed class ConfigureSessionCookie(SessionStore store) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme) options.SessionStore = store;
    }
}
