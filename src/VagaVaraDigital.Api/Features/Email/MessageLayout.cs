using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace VagaVaraDigital.Api.Features.Email;

/// <summary>
/// Turns a rendered body (plain text, paragraphs, <c>[text](url)</c> links) into the message's plain-text and
/// accessible HTML parts: a language attribute, a real heading-free document structure of paragraphs, links with
/// their own words (a paragraph that is just a link becomes a button-like link), 16 px text with strong contrast,
/// no images, no layout tables, and everything the template produced HTML-escaped.
/// </summary>
public static partial class MessageLayout
{
    public sealed record Parts(string Text, string Html);

    public static Parts Build(string subject, string body, string language, string countyName, string? unsubscribeUrl)
    {
        var sv = language != "en";
        var footer = unsubscribeUrl is null
            ? sv ? $"Det här mejlet skickades av {countyName} via Våga vara digital." : $"This e-mail was sent by {countyName} via Våga vara digital."
            : sv ? $"Du får det här mejlet från {countyName} inom kompetenssatsningen Våga vara digital. [Avregistrera dig från fler utskick]({unsubscribeUrl})"
                 : $"You receive this e-mail from {countyName} as part of the Våga vara digital campaign. [Unsubscribe from further e-mails]({unsubscribeUrl})";

        // A paragraph that is only a link without an address (e.g. no recording yet) is left out.
        var paragraphs = Regex.Split(body.Replace("\r\n", "\n").Trim(), @"\n[ \t]*\n+")
            .Select(p => p.Trim()).Where(p => p.Length > 0 && !EmptyLinkOnly(p)).ToArray();

        var text = new StringBuilder();
        foreach (var p in paragraphs) text.Append(Link().Replace(p.Trim(), m => m.Groups[2].Value.Length == 0 ? m.Groups[1].Value : $"{m.Groups[1].Value}: {m.Groups[2].Value}")).Append("\n\n");
        text.Append("-- \n").Append(Link().Replace(footer, m => $"{m.Groups[1].Value}: {m.Groups[2].Value}")).Append('\n');

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(sv ? "sv" : "en").Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:0;background:#f3f3f3;\">\n")
            .Append("<div role=\"article\" aria-label=\"").Append(WebUtility.HtmlEncode(subject)).Append("\" lang=\"").Append(sv ? "sv" : "en")
            .Append("\" style=\"max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;\">\n")
            .Append("<p style=\"margin:0 0 16px;font-size:14px;color:#404040;\">").Append(WebUtility.HtmlEncode(countyName)).Append("</p>\n");
        foreach (var p in paragraphs) html.Append(Paragraph(p.Trim())).Append('\n');
        html.Append("<hr style=\"border:none;border-top:1px solid #d0d0d0;margin:24px 0 16px;\">\n")
            .Append("<p style=\"margin:0;font-size:14px;color:#404040;\">").Append(Inline(footer, "#1a4f8b")).Append("</p>\n")
            .Append("</div>\n</body>\n</html>\n");
        return new Parts(text.ToString(), html.ToString());
    }

    static bool EmptyLinkOnly(string p) => Link().Match(p) is { Success: true } m && m.Length == p.Length && m.Groups[2].Value.Length == 0;

    static string Paragraph(string p)
    {
        var only = Link().Match(p);
        if (only.Success && only.Length == p.Length && IsSafeUrl(only.Groups[2].Value))
        {
            return $"<p style=\"margin:24px 0;\"><a href=\"{WebUtility.HtmlEncode(only.Groups[2].Value)}\" style=\"display:inline-block;padding:12px 20px;background:#1a4f8b;color:#ffffff;border-radius:4px;font-weight:bold;text-decoration:underline;\">{WebUtility.HtmlEncode(only.Groups[1].Value)}</a></p>";
        }
        return $"<p style=\"margin:0 0 16px;\">{Inline(p, "#1a4f8b")}</p>";
    }

    /// <summary>Escapes the text, then makes <c>[text](url)</c> and bare https links into links, and line breaks into &lt;br&gt;.</summary>
    static string Inline(string text, string color)
    {
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in Link().Matches(text))
        {
            sb.Append(Bare(text[last..m.Index], color));
            var url = m.Groups[2].Value;
            sb.Append(IsSafeUrl(url)
                ? $"<a href=\"{WebUtility.HtmlEncode(url)}\" style=\"color:{color};text-decoration:underline;\">{WebUtility.HtmlEncode(m.Groups[1].Value)}</a>"
                : WebUtility.HtmlEncode(m.Groups[1].Value));
            last = m.Index + m.Length;
        }
        sb.Append(Bare(text[last..], color));
        return sb.ToString().Replace("\n", "<br>\n");
    }

    static string Bare(string text, string color) => BareUrl().Replace(WebUtility.HtmlEncode(text),
        m => $"<a href=\"{m.Value}\" style=\"color:{color};text-decoration:underline;\">{m.Value}</a>");

    static bool IsSafeUrl(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\[([^\]\n]+)\]\(([^)\s]*)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex BareUrl();
}
