using Dapper;
using Microsoft.Extensions.DependencyInjection;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Tests.Infrastructure;

namespace VagaVaraDigital.Tests.Email;

/// <summary>Webcasts, invitees and invitations for the e-mail tests, written as the superuser.</summary>
public static class EmailData
{
    public static async Task<Guid> WebcastAsync(TestDatabase db, string tenant, DateTime startsUtc, string status = "scheduled",
        string title = "Digitalisering i praktiken")
    {
        await using var conn = await db.OpenSuperuserAsync();
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO webcasts (tenant_id, title, description, starts_at, duration_minutes, join_url, status)
            VALUES (@tenant, @title, 'Om planering och byggande', @startsUtc, 60, 'https://teams.example/abc', @status) RETURNING id
            """, new { tenant, title, startsUtc, status });
    }

    public static async Task<(Guid InviteeId, Guid InvitationId, string Token)> InvitationAsync(TestDatabase db, string tenant, Guid webcastId,
        string status, string? email = null)
    {
        await using var conn = await db.OpenSuperuserAsync();
        email ??= $"ledare-{Guid.NewGuid():N}@kommun.se";
        var inviteeId = await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO invitees (tenant_id, first_name, last_name, email, email_normalized, person_key, role_category)
            VALUES (@tenant, 'Anna', 'Andersson', @email, @email, @email, 'fortroendevald') RETURNING id
            """, new { tenant, email });
        var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "xyz";
        var invitationId = await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO invitations (tenant_id, webcast_id, invitee_id, token, status) VALUES (@tenant, @webcastId, @inviteeId, @token, @status) RETURNING id
            """, new { tenant, webcastId, inviteeId, token, status });
        return (inviteeId, invitationId, token);
    }

    public sealed class Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string IdempotencyKey { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime DueAt { get; init; }
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public string? MessageId { get; init; }
        public DateTime? NextAttemptAt { get; init; }
        public bool PermanentFailure { get; init; }
    }

    public static async Task<Row[]> OutboxAsync(TestDatabase db, string? kind = null)
    {
        await using var conn = await db.OpenSuperuserAsync();
        return (await conn.QueryAsync<Row>("""
            SELECT id, kind, idempotency_key AS IdempotencyKey, status, due_at AS DueAt, attempts, last_error AS LastError,
                   message_id AS MessageId, next_attempt_at AS NextAttemptAt, permanent_failure AS PermanentFailure
            FROM email_outbox WHERE @kind::text IS NULL OR kind = @kind ORDER BY due_at, id
            """, new { kind })).ToArray();
    }

    /// <summary>Runs <paramref name="work"/> in a unit of work of <paramref name="tenant"/> (as the application role) and commits.</summary>
    public static async Task<T> InTenantAsync<T>(string tenant, Func<UnitOfWork, Task<T>> work)
    {
        await using var scope = PlatformFactory.Shared.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Db>();
        await using var uow = await db.BeginForTenantAsync(tenant);
        var result = await work(uow);
        await uow.CommitAsync();
        return result;
    }
}
