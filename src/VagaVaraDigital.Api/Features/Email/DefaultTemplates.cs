namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// The built-in templates: Swedish and English for every kind. A template is a subject and a body in Liquid
/// (Fluid). The body is plain text: paragraphs separated by blank lines; <c>[text](url)</c> becomes a link (a
/// button in HTML); the HTML part is made from it by <see cref="MessageLayout"/>, so every message is accessible
/// whatever a county writes. Values: <c>county.*</c>, <c>recipient.*</c>, <c>webcast.*</c>, <c>links.*</c>,
/// <c>reminder.*</c>, <c>digest.*</c>, <c>payload.*</c> (see <see cref="TemplateModel"/>).
/// </summary>
public static class DefaultTemplates
{
    public sealed record Template(string Subject, string Body);

    public static readonly string[] Kinds =
    [
        "invitation", "confirmation", "waitlisted", "promoted", "reminder", "nudge", "reschedule", "cancellation",
        "thank_you", "missed_it", "user_invitation", "password_reset", "digest",
    ];

    public static readonly string[] Languages = ["sv", "en"];

    /// <summary>Kinds sent to invitees about the campaign: they carry List-Unsubscribe (RFC 8058 one-click).</summary>
    public static bool IsCampaignMail(string kind) => kind is not ("user_invitation" or "password_reset" or "digest");

    const string SvWhen = "{{ webcast.starts_at }} ({{ webcast.duration_minutes }} minuter)";
    const string EnWhen = "{{ webcast.starts_at }} ({{ webcast.duration_minutes }} minutes)";
    const string SvGreeting = "Hej {{ recipient.first_name | default: \"\" }}!";
    const string EnGreeting = "Hello {{ recipient.first_name | default: \"\" }},";
    const string SvSign = "Med vänliga hälsningar\n{{ county.sender_name }}";
    const string EnSign = "Kind regards\n{{ county.sender_name }}";

    static readonly Dictionary<(string Kind, string Language), Template> All = new()
    {
        [("invitation", "sv")] = new("Inbjudan: {{ webcast.title }}",
            $"{SvGreeting}\n\n{{{{ county.name }}}} bjuder in dig till webbsändningen ”{{{{ webcast.title }}}}” inom kompetenssatsningen Våga vara digital!\n\nTid: {SvWhen}\n\n{{{{ webcast.description }}}}\n\n[Svara på inbjudan]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("invitation", "en")] = new("Invitation: {{ webcast.title }}",
            $"{EnGreeting}\n\n{{{{ county.name }}}} invites you to the webcast “{{{{ webcast.title }}}}”, part of the Våga vara digital! campaign.\n\nTime: {EnWhen}\n\n{{{{ webcast.description }}}}\n\n[Reply to the invitation]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("confirmation", "sv")] = new("Välkommen: {{ webcast.title }}",
            $"{SvGreeting}\n\nTack för ditt svar – du är anmäld till ”{{{{ webcast.title }}}}”.\n\nTid: {SvWhen}\n\n[Lägg till i kalendern]({{{{ links.calendar }}}})\n\n[Ändra ditt svar]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("confirmation", "en")] = new("Welcome: {{ webcast.title }}",
            $"{EnGreeting}\n\nThank you – you are registered for “{{{{ webcast.title }}}}”.\n\nTime: {EnWhen}\n\n[Add to your calendar]({{{{ links.calendar }}}})\n\n[Change your reply]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("waitlisted", "sv")] = new("Du står på reservlistan: {{ webcast.title }}",
            $"{SvGreeting}\n\n”{{{{ webcast.title }}}}” är fullbokad just nu. Du står på reservlistan och får ett nytt mejl om en plats blir ledig.\n\nTid: {SvWhen}\n\n[Ändra ditt svar]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("waitlisted", "en")] = new("You are on the waiting list: {{ webcast.title }}",
            $"{EnGreeting}\n\n“{{{{ webcast.title }}}}” is fully booked. You are on the waiting list and will get another e-mail if a seat becomes free.\n\nTime: {EnWhen}\n\n[Change your reply]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("promoted", "sv")] = new("Du har fått en plats: {{ webcast.title }}",
            $"{SvGreeting}\n\nEn plats blev ledig – nu är du anmäld till ”{{{{ webcast.title }}}}”.\n\nTid: {SvWhen}\n\n[Lägg till i kalendern]({{{{ links.calendar }}}})\n\n[Ändra ditt svar]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("promoted", "en")] = new("You have a seat: {{ webcast.title }}",
            $"{EnGreeting}\n\nA seat became free – you are now registered for “{{{{ webcast.title }}}}”.\n\nTime: {EnWhen}\n\n[Add to your calendar]({{{{ links.calendar }}}})\n\n[Change your reply]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("reminder", "sv")] = new("Påminnelse: {{ webcast.title }} börjar {{ reminder.lead }}",
            $"{SvGreeting}\n\nVälkommen till ”{{{{ webcast.title }}}}” {{{{ reminder.lead }}}}.\n\nTid: {SvWhen}\n\n[Anslut till sändningen]({{{{ links.join }}}})\n\n[Kan du inte längre? Ändra ditt svar]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("reminder", "en")] = new("Reminder: {{ webcast.title }} starts {{ reminder.lead }}",
            $"{EnGreeting}\n\nWelcome to “{{{{ webcast.title }}}}” {{{{ reminder.lead }}}}.\n\nTime: {EnWhen}\n\n[Join the webcast]({{{{ links.join }}}})\n\n[Can no longer make it? Change your reply]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("nudge", "sv")] = new("Har du sett inbjudan? {{ webcast.title }}",
            $"{SvGreeting}\n\nVi har inte fått något svar från dig om webbsändningen ”{{{{ webcast.title }}}}”. Det finns fortfarande plats.\n\nTid: {SvWhen}\n\n[Svara på inbjudan]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("nudge", "en")] = new("Have you seen the invitation? {{ webcast.title }}",
            $"{EnGreeting}\n\nWe have not heard from you about the webcast “{{{{ webcast.title }}}}”. There are still seats.\n\nTime: {EnWhen}\n\n[Reply to the invitation]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("reschedule", "sv")] = new("Ny tid: {{ webcast.title }}",
            $"{SvGreeting}\n\nWebbsändningen ”{{{{ webcast.title }}}}” har flyttats.\n\nNy tid: {SvWhen}\n\n[Svara eller ändra ditt svar]({{{{ links.rsvp }}}})\n\n{SvSign}"),
        [("reschedule", "en")] = new("New time: {{ webcast.title }}",
            $"{EnGreeting}\n\nThe webcast “{{{{ webcast.title }}}}” has moved.\n\nNew time: {EnWhen}\n\n[Reply or change your reply]({{{{ links.rsvp }}}})\n\n{EnSign}"),

        [("cancellation", "sv")] = new("Inställd: {{ webcast.title }}",
            $"{SvGreeting}\n\nWebbsändningen ”{{{{ webcast.title }}}}” den {{{{ webcast.starts_at }}}} är tyvärr inställd. Vi hör av oss när det finns en ny tid.\n\n{SvSign}"),
        [("cancellation", "en")] = new("Cancelled: {{ webcast.title }}",
            $"{EnGreeting}\n\nUnfortunately the webcast “{{{{ webcast.title }}}}” on {{{{ webcast.starts_at }}}} is cancelled. We will be in touch when there is a new date.\n\n{EnSign}"),

        [("thank_you", "sv")] = new("Tack för att du var med: {{ webcast.title }}",
            $"{SvGreeting}\n\nTack för att du deltog i ”{{{{ webcast.title }}}}”!{{% if links.recording != blank %}} Inspelningen finns här om du vill se något igen eller dela den med kollegor.\n\n[Se inspelningen]({{{{ links.recording }}}}){{% endif %}}\n\n{SvSign}"),
        [("thank_you", "en")] = new("Thank you for joining: {{ webcast.title }}",
            $"{EnGreeting}\n\nThank you for taking part in “{{{{ webcast.title }}}}”!{{% if links.recording != blank %}} The recording is here if you want to watch again or share it with colleagues.\n\n[Watch the recording]({{{{ links.recording }}}}){{% endif %}}\n\n{EnSign}"),

        [("missed_it", "sv")] = new("Missade du {{ webcast.title }}?",
            $"{SvGreeting}\n\nVi saknade dig på ”{{{{ webcast.title }}}}”.{{% if links.recording != blank %}} Du kan se inspelningen när det passar dig.\n\n[Se inspelningen]({{{{ links.recording }}}}){{% endif %}}\n\n{SvSign}"),
        [("missed_it", "en")] = new("Did you miss {{ webcast.title }}?",
            $"{EnGreeting}\n\nWe missed you at “{{{{ webcast.title }}}}”.{{% if links.recording != blank %}} You can watch the recording when it suits you.\n\n[Watch the recording]({{{{ links.recording }}}}){{% endif %}}\n\n{EnSign}"),

        [("user_invitation", "sv")] = new("Ditt konto i Våga vara digital – {{ county.name }}",
            "Hej!\n\nDu har fått ett konto i Våga vara digital för {{ county.name }}. Välj ett lösenord med länken nedan. Länken gäller en begränsad tid.\n\n[Aktivera ditt konto]({{ links.action }})\n\nOm du inte väntade dig det här mejlet kan du bortse från det.\n\n" + SvSign),
        [("user_invitation", "en")] = new("Your Våga vara digital account – {{ county.name }}",
            "Hello,\n\nAn account in Våga vara digital has been created for you at {{ county.name }}. Choose a password with the link below. The link is valid for a limited time.\n\n[Activate your account]({{ links.action }})\n\nIf you did not expect this e-mail you can ignore it.\n\n" + EnSign),

        [("password_reset", "sv")] = new("Återställ ditt lösenord – Våga vara digital",
            "Hej!\n\nNågon (förhoppningsvis du) har bett om att få återställa lösenordet till ditt konto. Länken gäller en begränsad tid.\n\n[Välj ett nytt lösenord]({{ links.action }})\n\nHar du inte bett om detta behöver du inte göra något.\n\n" + SvSign),
        [("password_reset", "en")] = new("Reset your password – Våga vara digital",
            "Hello,\n\nSomeone (hopefully you) asked to reset the password of your account. The link is valid for a limited time.\n\n[Choose a new password]({{ links.action }})\n\nIf you did not ask for this, you need not do anything.\n\n" + EnSign),

        [("digest", "sv")] = new("Dagens sammanfattning – {{ county.name }}",
            "Hej{% if recipient.name != blank %} {{ recipient.name }}{% endif %}!\n\nDet här har hänt det senaste dygnet i {{ county.name }}:\n\nNya svar: {{ digest.accepted }} tackade ja, {{ digest.declined }} tackade nej.\n\nMejl som inte kunde levereras: {{ digest.failed }}.{% if digest.failed > 0 %} Se utkorgen i administrationen.{% endif %}\n\nKommande webbsändningar:{% for w in digest.upcoming %}\n– {{ w.title }}, {{ w.starts_at }}: {{ w.accepted }} anmälda{% else %} inga de närmaste två veckorna.{% endfor %}\n\n[Öppna administrationen]({{ links.admin }})\n\nDu får den här sammanfattningen som administratör för länet. Du kan stänga av den bland dina e-postinställningar i administrationen."),
        [("digest", "en")] = new("Daily summary – {{ county.name }}",
            "Hello{% if recipient.name != blank %} {{ recipient.name }}{% endif %},\n\nThis happened during the last day at {{ county.name }}:\n\nNew replies: {{ digest.accepted }} accepted, {{ digest.declined }} declined.\n\nE-mails that could not be delivered: {{ digest.failed }}.{% if digest.failed > 0 %} See the outbox in the admin app.{% endif %}\n\nUpcoming webcasts:{% for w in digest.upcoming %}\n– {{ w.title }}, {{ w.starts_at }}: {{ w.accepted }} registered{% else %} none in the next two weeks.{% endfor %}\n\n[Open the admin app]({{ links.admin }})\n\nYou get this summary as an administrator of the county. You can turn it off in your e-mail settings in the admin app."),
    };

    public static Template Get(string kind, string language) =>
        All.TryGetValue((kind, language), out var t) ? t
        : All.TryGetValue((kind, "sv"), out var sv) ? sv
        : throw new ArgumentException($"Unknown e-mail kind '{kind}'.", nameof(kind));

    public static bool IsKnownKind(string kind) => Kinds.Contains(kind);
}
