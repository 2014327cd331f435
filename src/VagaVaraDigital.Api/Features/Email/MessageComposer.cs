using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using VagaVaraDigital.Api.Data;
using VagaVaraDigital.Api.Tenancy;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>An outbox row with what its message needs (read in the row's tenant scope).</summary>
public sealed class OutboxRow
{
    public long Id { get; init; }
    public string TenantId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string IdempotencyKey { get; init; } = "";
    public Guid? InvitationId { get; init; }
    public string? UserId { get; init; }
    public string ToAddress { get; init; } = "";
    public string PayloadJson { get; init; } = "{}";
    public string Language { get; init; } = "sv";
    public int Attempts { get; init; }
    public string Status { get; init; } = "";
    public DateTime DueAt { get; init; }
    public string? EmlPath { get; init; }
    public string? Token { get; init; }
    public string? InvitationStatus { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? InviteeStatus { get; init; }
    public string? InviteeEmail { get; init; }
    public Guid? WebcastId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public DateTime? StartsAt { get; init; }
    public int? DurationMinutes { get; init; }
    public string? JoinUrl { get; init; }
    public string? RecordingUrl { get; init; }
    public string? WebcastStatus { get; init; }
    public int? ScheduleVersion { get; init; }

    /// <summary>For a digest: the admin is still active in the tenant and has not turned the digest off since it was queued.</summary>
    public bool? DigestWanted { get; init; }

    public const string SelectSql = """
        SELECT o.id, o.tenant_id AS TenantId, o.kind, o.idempotency_key AS IdempotencyKey, o.invitation_id AS InvitationId,
               o.user_id AS UserId, o.to_address AS ToAddress, o.payload::text AS PayloadJson, o.language, o.attempts, o.status,
               o.due_at AS DueAt, o.eml_path AS EmlPath,
               i.token, i.status AS InvitationStatus, v.first_name AS FirstName, v.last_name AS LastName, v.status AS InviteeStatus,
               v.email AS InviteeEmail, w.id AS WebcastId, w.title, w.description, w.starts_at AS StartsAt,
               w.duration_minutes AS DurationMinutes, w.join_url AS JoinUrl, w.recording_url AS RecordingUrl,
               w.status AS WebcastStatus, w.schedule_version AS ScheduleVersion,
               CASE WHEN o.kind = 'digest' THEN EXISTS (
                 SELECT FROM "AspNetUsers" u WHERE u."Id" = o.user_id AND u."TenantId" = o.tenant_id AND u."IsActive"
                   AND NOT EXISTS (SELECT FROM email_user_settings s WHERE s.user_id = u."Id" AND NOT s.daily_digest)) END AS DigestWanted
        FROM email_outbox o
        LEFT JOIN invitations i ON i.id = o.invitation_id
        LEFT JOIN invitees v ON v.id = i.invitee_id
        LEFT JOIN webcasts w ON w.id = coalesce(o.webcast_id, i.webcast_id)
        """;
}

/// <summary>The tenant's side of every message: names, addresses, links, template overrides.</summary>
public sealed class TenantMail
{
    public string TenantId { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string SenderName { get; init; } = "";
    public string? ReplyToEmail { get; init; }
    public string? ContactEmail { get; init; }
    public string TimeZone { get; init; } = "Europe/Stockholm";
    public Dictionary<(string Kind, string Language), DefaultTemplates.Template> Overrides { get; init; } = [];

    public DefaultTemplates.Template TemplateFor(string kind, string language) =>
        Overrides.TryGetValue((kind, language), out var t) ? t : DefaultTemplates.Get(kind, language);

    sealed class Row
    {
        public string TenantId { get; init; } = "";
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string SenderName { get; init; } = "";
        public string? ReplyToEmail { get; init; }
        public string? ContactEmail { get; init; }
        public string TimeZone { get; init; } = "";
    }

    sealed record OverrideRow(string Kind, string Language, string Subject, string Body);

    public static async Task<TenantMail> LoadAsync(UnitOfWork uow, CancellationToken ct)
    {
        var row = await uow.QuerySingleAsync<Row>("""
            SELECT t.id AS TenantId, t.slug, t.name, s.sender_name AS SenderName, s.reply_to_email AS ReplyToEmail,
                   s.contact_email AS ContactEmail, s.time_zone AS TimeZone
            FROM tenants t JOIN tenant_settings s ON s.tenant_id = t.id WHERE t.id = @tenantId
            """, new { tenantId = uow.RequiredTenantId }, ct);
        var overrides = await uow.QueryAsync<OverrideRow>("SELECT kind, language, subject, body FROM email_templates", ct: ct);
        return new TenantMail
        {
            TenantId = row.TenantId, Slug = row.Slug, Name = row.Name, SenderName = row.SenderName, ReplyToEmail = row.ReplyToEmail,
            ContactEmail = row.ContactEmail, TimeZone = row.TimeZone,
            Overrides = overrides.ToDictionary(o => (o.Kind, o.Language), o => new DefaultTemplates.Template(o.Subject, o.Body)),
        };
    }
}

/// <summary>What to do with a leased message.</summary>
public sealed record Composition(MimeMessage? Message, string? SkipReason = null, DateTime? DeferUntil = null, string? Error = null);

/// <summary>
/// Builds a message from its outbox row: the send-time checks (opt-out, answer, schedule version, quiet hours),
/// the template (the county's override or the default), the layout, headers and attachments.
/// </summary>
public sealed class MessageComposer(EmailTemplates templates, IOptions<EmailOptions> options, IOptions<TenancyOptions> tenancy,
    IConfiguration configuration)
{
    static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");
    static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public string TenantBase(string slug) => string.IsNullOrWhiteSpace(tenancy.Value.BaseDomain)
        ? $"{(configuration["PublicLinks:BaseUrl"] ?? "http://127.0.0.1:5080").TrimEnd('/')}/{tenancy.Value.PathPrefix.Trim('/')}/{slug}"
        : $"https://{slug}.{tenancy.Value.BaseDomain}";

    public string UnsubscribeUrl(string slug, string token) => $"{TenantBase(slug)}/u/{token}";

    /// <summary>Deterministic from the tenant and the idempotency key: a resent message has the same Message-ID.</summary>
    public static string MessageIdFor(string tenantId, string idempotencyKey, string domain)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{idempotencyKey}"));
        return $"{Convert.ToHexStringLower(hash)[..40]}@{domain}";
    }

    /// <summary>Send-time rules: a message whose reason is gone is not sent.</summary>
    public static string? SkipReason(OutboxRow r, DateTime now)
    {
        if (r.InvitationId is not null)
        {
            if (r.InvitationStatus is null) return "invitation_gone";
            if (r.InviteeStatus != "active" || string.IsNullOrEmpty(r.InviteeEmail)) return "opted_out";
        }
        var version = PayloadInt(r.PayloadJson, "scheduleVersion");
        switch (r.Kind)
        {
            case ReminderSchedule.ReminderKind:
                if (r.InvitationStatus != "accepted") return "not_accepted";
                if (r.WebcastStatus != "scheduled") return "webcast_not_scheduled";
                if (version is not null && version != r.ScheduleVersion) return "superseded";
                if (r.StartsAt is { } s && s <= now) return "too_late";
                break;
            case "digest":
                if (r.DigestWanted == false) return "digest_off";
                break;
            case ReminderSchedule.NudgeKind:
                if (r.InvitationStatus != "sent") return "answered";
                if (r.WebcastStatus != "scheduled") return "webcast_not_scheduled";
                if (version is not null && version != r.ScheduleVersion) return "superseded";
                if (r.StartsAt is { } n && n <= now) return "too_late";
                break;
        }
        return null;
    }

    public async Task<Composition> ComposeAsync(TenantMail tenant, OutboxRow r, DateTime now, bool checkRules = true)
    {
        if (checkRules)
        {
            if (SkipReason(r, now) is { } reason) return new Composition(null, reason);
            if (r.Kind == ReminderSchedule.NudgeKind)
            {
                var allowed = ReminderSchedule.OutsideQuietHours(now, tenant.TimeZone);
                if (allowed > now) return new Composition(null, DeferUntil: allowed);
            }
        }
        if (!DefaultTemplates.IsKnownKind(r.Kind)) return new Composition(null, Error: $"Okänd sorts mejl: {r.Kind}");

        var language = r.Language == "en" ? "en" : "sv";
        var model = Model(tenant, r, language);
        DefaultTemplates.Template template = tenant.TemplateFor(r.Kind, language);
        EmailTemplates.Rendered rendered;
        try
        {
            rendered = await templates.RenderAsync(template, model);
        }
        catch (TemplateException e) when (tenant.Overrides.ContainsKey((r.Kind, language)))
        {
            // A county template that stopped rendering (it was valid when saved) falls back to the default.
            _ = e;
            rendered = await templates.RenderAsync(DefaultTemplates.Get(r.Kind, language), model);
        }

        var campaign = DefaultTemplates.IsCampaignMail(r.Kind) && r.Token is not null;
        var unsubscribe = campaign ? UnsubscribeUrl(tenant.Slug, r.Token!) : null;
        var parts = MessageLayout.Build(rendered.Subject, rendered.Body, language, tenant.Name, unsubscribe);

        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(tenant.SenderName, o.FromAddress));
        var replyTo = tenant.ReplyToEmail ?? tenant.ContactEmail;
        if (!string.IsNullOrWhiteSpace(replyTo) && MailboxAddress.TryParse(replyTo, out var reply)) message.ReplyTo.Add(reply);
        if (!MailboxAddress.TryParse(r.ToAddress, out var to)) return new Composition(null, Error: "Mottagarens adress är ogiltig.");
        message.To.Add(to);
        message.Subject = rendered.Subject;
        message.MessageId = MessageIdFor(r.TenantId, r.IdempotencyKey, o.FromDomain);
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc));
        if (unsubscribe is not null)
        {
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            message.Headers.Add("List-Id", $"{tenant.Name} <{tenant.Slug}.vagavaradigital>");
        }
        else
        {
            message.Headers.Add("Auto-Submitted", "auto-generated");
        }
        message.Headers.Add("Content-Language", language);

        var body = new BodyBuilder { TextBody = parts.Text, HtmlBody = parts.Html };
        foreach (var a in Attachments(r.PayloadJson))
        {
            body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        }
        message.Body = body.ToMessageBody();
        return new Composition(message);
    }

    sealed record Attachment(string FileName, string ContentType, byte[] Content);

    /// <summary>The payload's <c>attachments</c>: <c>[{ fileName, contentType, content | contentBase64 }]</c> (e.g. the webcast's .ics).</summary>
    static IEnumerable<Attachment> Attachments(string payloadJson)
    {
        using var doc = JsonDocument.Parse(payloadJson);
        if (!doc.RootElement.TryGetProperty("attachments", out var list) || list.ValueKind != JsonValueKind.Array) yield break;
        foreach (var a in list.EnumerateArray())
        {
            var name = a.TryGetProperty("fileName", out var n) ? n.GetString() : null;
            var type = a.TryGetProperty("contentType", out var t) ? t.GetString() : "application/octet-stream";
            byte[]? bytes = a.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(c.GetString()!)
                : a.TryGetProperty("contentBase64", out var b) && b.ValueKind == JsonValueKind.String ? Convert.FromBase64String(b.GetString()!)
                : null;
            if (name is not null && bytes is not null) yield return new Attachment(name, type ?? "application/octet-stream", bytes);
        }
    }

    static int? PayloadInt(string json, string name)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;
    }

    static string? PayloadString(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The values a template sees (see <see cref="DefaultTemplates"/>).</summary>
    public Dictionary<string, object?> Model(TenantMail tenant, OutboxRow r, string language)
    {
        var payload = JsonDocument.Parse(r.PayloadJson).RootElement.Clone();
        var tz = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZone);
        var baseUrl = TenantBase(tenant.Slug);
        string? startsText = null;
        if (r.StartsAt is { } starts)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(starts, DateTimeKind.Utc), tz);
            startsText = language == "en"
                ? local.ToString("dddd d MMMM yyyy 'at' HH:mm", English) + " (Swedish time)"
                : local.ToString("dddd d MMMM yyyy 'kl.' HH:mm", Swedish);
        }
        startsText = (language == "en" ? PayloadString(payload, "startsAtTextEn") : PayloadString(payload, "startsAtText")) ?? startsText;
        var offset = PayloadInt(r.PayloadJson, "offsetMinutes");

        return new Dictionary<string, object?>
        {
            ["county"] = new Dictionary<string, object?>
            {
                ["name"] = tenant.Name, ["sender_name"] = tenant.SenderName, ["contact_email"] = tenant.ContactEmail,
            },
            ["recipient"] = new Dictionary<string, object?>
            {
                ["first_name"] = r.FirstName, ["last_name"] = r.LastName,
                ["name"] = r.FirstName is null && r.LastName is null ? PayloadString(payload, "displayName") ?? ""
                    : string.Join(' ', new[] { r.FirstName, r.LastName }.Where(s => !string.IsNullOrWhiteSpace(s))),
            },
            ["webcast"] = new Dictionary<string, object?>
            {
                ["title"] = r.Title ?? PayloadString(payload, "title") ?? "",
                ["description"] = r.Description ?? "",
                ["starts_at"] = startsText ?? "",
                ["starts_at_iso"] = r.StartsAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["duration_minutes"] = r.DurationMinutes,
                ["join_url"] = r.JoinUrl,
                ["recording_url"] = r.RecordingUrl,
            },
            ["links"] = new Dictionary<string, object?>
            {
                ["rsvp"] = PayloadString(payload, "rsvpUrl") ?? (r.Token is null ? null : $"{baseUrl}/r/{r.Token}"),
                ["join"] = PayloadString(payload, "joinUrl") ?? (r.Token is null ? r.JoinUrl : $"{baseUrl}/j/{r.Token}"),
                ["calendar"] = PayloadString(payload, "calendarUrl") ?? (r.Token is null ? null : $"{baseUrl}/r/{r.Token}/kalender.ics"),
                ["unsubscribe"] = r.Token is null ? null : UnsubscribeUrl(tenant.Slug, r.Token),
                ["recording"] = PayloadString(payload, "recordingUrl") ?? r.RecordingUrl,
                ["action"] = PayloadString(payload, "actionUrl") ?? PayloadString(payload, "link"),
                ["admin"] = $"{baseUrl}/",
            },
            ["reminder"] = new Dictionary<string, object?>
            {
                ["offset_minutes"] = offset,
                ["lead"] = offset is { } m ? Lead(m, language) : "",
            },
            ["digest"] = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("digest", out var d) ? d : null,
            ["payload"] = payload,
        };
    }

    /// <summary>"om en vecka", "i morgon", "om en timme" — how long before the start a reminder goes.</summary>
    public static string Lead(int minutes, string language)
    {
        var sv = language != "en";
        if (minutes % 10080 == 0) return minutes == 10080 ? (sv ? "om en vecka" : "in one week") : sv ? $"om {minutes / 10080} veckor" : $"in {minutes / 10080} weeks";
        if (minutes % 1440 == 0) return minutes == 1440 ? (sv ? "i morgon" : "tomorrow") : sv ? $"om {minutes / 1440} dagar" : $"in {minutes / 1440} days";
        if (minutes % 60 == 0) return minutes == 60 ? (sv ? "om en timme" : "in one hour") : sv ? $"om {minutes / 60} timmar" : $"in {minutes / 60} hours";
        return sv ? $"om {minutes} minuter" : $"in {minutes} minutes";
    }

    /// <summary>A sample row for previews and template validation.</summary>
    public static OutboxRow Sample(string kind, string language, DateTime now) => new()
    {
        Id = 0, TenantId = "00", Kind = kind, IdempotencyKey = $"sample:{kind}", InvitationId = Guid.Empty, ToAddress = "anna.andersson@kommun.example",
        PayloadJson = kind == "digest"
            ? """{"displayName":"Anna Andersson","digest":{"accepted":12,"declined":3,"failed":1,"upcoming":[{"title":"Digitalisering i praktiken","startsAt":"tisdag 15 december 2026 kl. 10:00","accepted":48}]}}"""
            : kind is "user_invitation" or "password_reset" ? """{"actionUrl":"https://exempel.vagavaradigital.se/konto/aktivera"}"""
            : """{"offsetMinutes":1440,"scheduleVersion":1}""",
        Language = language, Token = "exempeltoken0123456789abc", InvitationStatus = "accepted", FirstName = "Anna", LastName = "Andersson",
        InviteeStatus = "active", InviteeEmail = "anna.andersson@kommun.example", WebcastId = Guid.Empty,
        Title = language == "en" ? "Digitalisation in practice" : "Digitalisering i praktiken",
        Description = language == "en" ? "What the digital planning process means for you as a leader." : "Vad den digitala samhällsbyggnadsprocessen betyder för dig som ledare.",
        StartsAt = now.Date.AddDays(8).AddHours(9), DurationMinutes = 60, JoinUrl = "https://teams.example/exempel",
        RecordingUrl = "https://video.example/inspelning", WebcastStatus = "scheduled", ScheduleVersion = 1,
    };
}
