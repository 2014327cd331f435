namespace VagaVaraDigital.Api.Features.Invitees;

/// <summary>
/// Rules other features follow when they reach invitees (webcast audiences, invitations, reminders, e-mail):
/// an opted-out or erased invitee is never e-mailed nor invited; someone flagged as no longer in office is
/// not invited to anything new.
/// </summary>
public static class InviteeRules
{
    /// <summary>SQL condition: the invitee may receive e-mail (any e-mail, reminders included).</summary>
    /// <example><c>$"SELECT … FROM invitees i WHERE {InviteeRules.CanBeEmailedSql("i")}"</c></example>
    public static string CanBeEmailedSql(string alias) => $"({alias}.status = 'active' AND {alias}.email IS NOT NULL)";

    /// <summary>SQL condition: the invitee may be invited to a webcast.</summary>
    public static string CanBeInvitedSql(string alias) => $"({CanBeEmailedSql(alias)} AND NOT {alias}.no_longer_in_office)";

    /// <summary>The same rule in C#, for a status read already.</summary>
    public static bool CanBeEmailed(string status) => status == InviteeStatus.Active;
}

public static class InviteeStatus
{
    public const string Active = "active";
    public const string OptedOut = "opted_out";
    public const string Erased = "erased";
    public static readonly string[] All = [Active, OptedOut, Erased];
}
